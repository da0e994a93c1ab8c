import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { SessionStore } from '@sg/session';
import { createSessionStore, type SessionStoreSettings } from '@sg/store';
import type { StoreConfig } from '../env/common-config';
import type { ReadinessChecks } from '../health/readiness-checks';

const STORE_CONFIG = Symbol('STORE_CONFIG');

/** The configured session store (`STORE`, PROTOCOL section 4) for the apps that read or write sessions. */
@Module({})
export class SessionStoreModule implements OnApplicationShutdown {
  constructor(@Inject(SessionStore) private readonly store: SessionStore) {}

  /** `options` adds what only one app wants, e.g. admin-search's SQLite search workers. */
  static forRoot(config: StoreConfig, options: Pick<SessionStoreSettings, 'sqliteSearchWorkers'> = {}): DynamicModule {
    return {
      module: SessionStoreModule,
      imports: [TerminusModule],
      providers: [
        { provide: STORE_CONFIG, useValue: { ...config, ...options } },
        { provide: SessionStore, inject: [STORE_CONFIG], useFactory: (settings: SessionStoreSettings) => createSessionStore(settings) },
      ],
      exports: [SessionStore, TerminusModule],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Readiness of the session store, named `store` in `/readyz` with the store kind. */
export function sessionStoreReadiness(store: SessionStore, indicators: HealthIndicatorService, kind: string): ReadinessChecks {
  return [
    async () => {
      const indicator = indicators.check('store');
      try {
        await store.check();
        return indicator.up({ kind });
      } catch (error) {
        return indicator.down({ kind, message: error instanceof Error ? error.message : 'unavailable' });
      }
    },
  ];
}
