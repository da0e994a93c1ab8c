import { DelegatingSessionStore } from './delegating-session-store';
import { SessionStore } from './session-store';

type StoreMethod = keyof SessionStore;

/** Every method of the port (the type fails to compile when one is missing), each answering a value of its own. */
function recordingStore(): SessionStore & Record<StoreMethod, jest.Mock> {
  const answer = (method: StoreMethod) => jest.fn(async () => `answer of ${method}`);
  const methods: Record<StoreMethod, jest.Mock> = {
    init: answer('init'),
    write: answer('write'),
    loadFolds: answer('loadFolds'),
    get: answer('get'),
    search: answer('search'),
    deleteEndedBefore: answer('deleteEndedBefore'),
    check: answer('check'),
    close: answer('close'),
  };
  return methods as unknown as SessionStore & Record<StoreMethod, jest.Mock>;
}

class PlainDelegate extends DelegatingSessionStore {}

describe(DelegatingSessionStore.name, () => {
  const signal = new AbortController().signal;
  const calls: Array<[StoreMethod, unknown[]]> = [
    ['init', []],
    ['write', [[{ document: { session_id: 's-1' }, fold: {} }]]],
    ['loadFolds', [['s-1', 's-2']]],
    ['get', ['s-1']],
    ['search', [{ q: 'x', filter: null, sort: [], limit: 1, offset: 0, facets: [] }, { signal }]],
    ['deleteEndedBefore', [1_700_000_000]],
    ['check', []],
    ['close', []],
  ];

  it.each(calls)('hands %s to the inner store with its arguments and answers what it answers', async (method, args) => {
    const inner = recordingStore();
    const delegate = new PlainDelegate(inner);
    const call = delegate[method] as (...a: unknown[]) => Promise<unknown>;
    await expect(call.apply(delegate, args)).resolves.toBe(`answer of ${method}`);
    expect(inner[method]).toHaveBeenCalledTimes(1);
    expect(inner[method]).toHaveBeenCalledWith(...args);
  });

  it('covers every method of the port', () => {
    expect(calls.map(([method]) => method).sort()).toEqual(Object.keys(recordingStore()).sort());
  });

  it('passes a rejection through unchanged', async () => {
    const inner = recordingStore();
    const failure = new Error('disk full');
    inner.write.mockRejectedValueOnce(failure);
    await expect(new PlainDelegate(inner).write([])).rejects.toBe(failure);
  });
});
