import { Tables } from '@caribou/domain-common';
import type { KeyValueStore } from '@caribou/ports';

/** `caribou list`: every workflow the framework manages, sorted (reference-system §5.2). */
export class ListWorkflowsService {
  constructor(private readonly store: KeyValueStore) {}

  async list(): Promise<string[]> {
    return (await this.store.keys(Tables.deploymentManagerResource)).sort();
  }
}
