package io.celeriac.test.registry;

import io.celeriac.registry.WorkerRegistry;
import io.celeriac.registry.memory.InMemoryWorkerRegistry;

/**
 * The {@link WorkerRegistry} contract on {@link InMemoryWorkerRegistry}.
 *
 * @author Celeriac team
 */
class InMemoryWorkerRegistryTests extends WorkerRegistryContractTests {

	private final InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();

	@Override
	protected WorkerRegistry registry() {
		return this.registry;
	}

}
