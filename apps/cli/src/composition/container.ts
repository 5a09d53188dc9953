import { randomUUID } from 'node:crypto';
import { Container } from 'inversify';
import { CaribouError } from '@caribou/domain-common';
import { TOKENS, type RandomSource } from '@caribou/ports';
import { TerminalProgress } from '../terminal-progress';
import { applicationModule } from './application.module';
import { collectionModule } from './collection.module';
import { SERVICES } from './tokens';

export type ProviderName = 'local' | 'aws';

export interface CaribouContainer {
  readonly provider: ProviderName;
  get<T>(token: symbol): T;
  close(): Promise<void>;
}

const cryptoRandom: RandomSource = { random: () => Math.random(), uuid: () => randomUUID().replace(/-/g, '') };

/**
 * The CLI's composition root: one Inversify container per command, for one provider.
 * The provider module is imported on demand: the AWS SDK clients alone take seconds to
 * load, which a local command should not pay (and the other way round for libsql).
 */
export async function createContainer(provider: ProviderName, env: NodeJS.ProcessEnv = process.env): Promise<CaribouContainer> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TOKENS.RandomSource).toConstantValue(cryptoRandom);
  container.bind(TOKENS.ProgressReporter).toConstantValue(new TerminalProgress());
  if (provider === 'local') container.load((await import('./local.module')).localModule(env));
  else if (provider === 'aws') container.load((await import('./aws.module')).awsModule(env));
  else {
    throw new CaribouError(
      `Provider ${provider} cannot be deployed to or run by this framework: use local or aws (home_region.provider in .caribou/config.yml, --provider for the other commands)`,
    );
  }
  container.load(applicationModule(provider), collectionModule(provider, env));
  // Close what this command actually opened (engine first, then the database), nothing more.
  const closables: Array<() => Promise<void> | void> = [];
  container.onActivation(SERVICES.LocalEngine, (_ctx, engine: { close(): Promise<void> }) => {
    closables.unshift(() => engine.close());
    return engine;
  });
  container.onActivation(SERVICES.LocalDatabase, (_ctx, db: { close(): void }) => {
    closables.push(() => db.close());
    return db;
  });
  return {
    provider,
    get: <T>(token: symbol) => container.get<T>(token),
    async close() {
      for (const close of closables.splice(0)) await close();
    },
  };
}
