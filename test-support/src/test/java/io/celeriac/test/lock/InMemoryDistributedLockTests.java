package io.celeriac.test.lock;

import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.memory.InMemoryDistributedLock;
import org.junit.jupiter.api.AfterEach;

/**
 * The {@link DistributedLock} contract on {@link InMemoryDistributedLock}.
 *
 * @author Celeriac team
 */
class InMemoryDistributedLockTests extends DistributedLockContractTests {

	private final InMemoryDistributedLock lock = new InMemoryDistributedLock();

	@Override
	protected DistributedLock lock() {
		return this.lock;
	}

	@AfterEach
	void close() {
		this.lock.close();
	}

}
