package io.celeriac.test.revoke;

import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.RevokedTaskStore.Limits;
import io.celeriac.revoke.memory.InMemoryRevokedTaskStore;

/**
 * The {@link RevokedTaskStore} contract on {@link InMemoryRevokedTaskStore}. Its data
 * lives in one instance, so each test's stores are views of one instance with their own
 * limits: the contract's "restart" is a new view on the same data.
 *
 * @author Celeriac team
 */
class InMemoryRevokedTaskStoreTests extends RevokedTaskStoreContractTests {

	private InMemoryRevokedTaskStore shared;

	@Override
	protected RevokedTaskStore store(Limits limits) {
		if (this.shared == null) {
			this.shared = new InMemoryRevokedTaskStore(limits);
		}
		return this.shared;
	}

}
