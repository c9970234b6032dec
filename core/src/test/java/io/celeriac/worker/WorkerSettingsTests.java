package io.celeriac.worker;

import io.celeriac.protocol.Origin;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerSettings}.
 *
 * @author Celeriac team
 */
class WorkerSettingsTests {

	@Test
	void theDefaultNameIsThisProcessOnThisHost() {
		assertThat(WorkerSettings.defaultName())
			.isEqualTo("celeriac-" + ProcessHandle.current().pid() + "@" + Origin.hostName());
	}

	@Test
	void twoProcessesOnOneHostHaveTwoDefaultNames() {
		assertThat(WorkerSettings.defaultName("vm", 101)).isEqualTo("celeriac-101@vm")
			.isNotEqualTo(WorkerSettings.defaultName("vm", 102));
	}

}
