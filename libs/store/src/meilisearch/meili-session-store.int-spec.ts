import { randomUUID } from 'node:crypto';
import { describeSessionStore } from '../contract/describe-session-store';
import { MeiliSessionStore } from './meili-session-store';

const url = process.env['MEILI_URL'];

if (!url) {
  process.stdout.write('MeiliSessionStore contract suite skipped: MEILI_URL is not set (no Meilisearch server on this machine)\n');
  describe.skip('SessionStore contract: Meilisearch (MEILI_URL not set)', () => {
    it('needs a Meilisearch server', () => undefined);
  });
} else {
  describeSessionStore('Meilisearch', async () => {
    const suffix = randomUUID().slice(0, 8);
    const store = new MeiliSessionStore({ url, apiKey: process.env['MEILI_MASTER_KEY'], sessionsIndex: `sessions_test_${suffix}`, foldsIndex: `session_folds_test_${suffix}` });
    await store.init();
    return store;
  });
}
