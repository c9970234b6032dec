package io.celeriac.test.conformance;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one conformance check.
 *
 * @param name what was checked
 * @param problem what is wrong, or {@code null} when the check passed
 * @param fix how to fix it, or {@code null} when the check passed
 * @author Celeriac team
 */
public record ConformanceCheck(String name, @Nullable String problem, @Nullable String fix) {

	static ConformanceCheck passed(String name) {
		return new ConformanceCheck(name, null, null);
	}

	static ConformanceCheck failed(String name, String problem, String fix) {
		return new ConformanceCheck(name, problem, fix);
	}

	/**
	 * Tells whether the check passed.
	 * @return {@code true} if nothing is wrong
	 */
	public boolean passed() {
		return this.problem == null;
	}

	@Override
	public String toString() {
		return passed() ? "[ok] " + this.name : "[FAILED] " + this.name + ": " + this.problem + " Fix: " + this.fix;
	}

}
