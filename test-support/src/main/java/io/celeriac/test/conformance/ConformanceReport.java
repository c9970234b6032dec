package io.celeriac.test.conformance;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every conformance check's outcome.
 *
 * @param checks the checks, in the order they ran
 * @author Celeriac team
 */
public record ConformanceReport(List<ConformanceCheck> checks) {

	/**
	 * Returns the failed checks.
	 * @return the failures
	 */
	public List<ConformanceCheck> failures() {
		return this.checks.stream().filter((check) -> !check.passed()).toList();
	}

	/**
	 * Throws an {@link AssertionError} listing every failed check, with what is wrong and
	 * how to fix it.
	 */
	public void assertConforms() {
		List<ConformanceCheck> failures = failures();
		if (!failures.isEmpty()) {
			throw new AssertionError(failures.size() + " of " + this.checks.size() + " conformance checks failed:\n"
					+ failures.stream().map(ConformanceCheck::toString).collect(Collectors.joining("\n")));
		}
	}

	@Override
	public String toString() {
		return this.checks.stream().map(ConformanceCheck::toString).collect(Collectors.joining("\n"));
	}

}
