package io.celeriac.autoconfigure;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * The backend chosen for each capability, as the capability auto-configurations see it.
 *
 * @param chosen the backend of each capability
 * @author Celeriac team
 */
public record CeleriacBackends(Map<Capability, Enum<?>> chosen) {

	public CeleriacBackends {
		chosen = Map.copyOf(chosen);
	}

	/**
	 * Resolves every capability's backend from the environment and the connection details
	 * beans.
	 * @param environment the application's environment
	 * @param beanFactory the application's bean factory, or {@code null} to look at the
	 * properties only
	 * @return the backends
	 * @throws InvalidBackendTypeException if a type property names no known backend
	 */
	public static CeleriacBackends resolve(Environment environment, @Nullable ListableBeanFactory beanFactory) {
		Map<Capability, Enum<?>> chosen = new EnumMap<>(Capability.class);
		for (Capability capability : Capability.values()) {
			chosen.put(capability, capability.resolve(environment, beanFactory));
		}
		return new CeleriacBackends(chosen);
	}

	/**
	 * Returns the backend chosen for a capability.
	 * @param capability the capability
	 * @return its backend
	 */
	public Enum<?> of(Capability capability) {
		return this.chosen.get(capability);
	}

	/**
	 * Returns the backend of each capability by name, both in lower case, e.g.
	 * {@code broker=rabbit}, ordered by capability name: how the {@code celeriac}
	 * endpoint shows them.
	 * @return the backends by capability name
	 */
	public Map<String, String> names() {
		Map<String, String> names = new TreeMap<>();
		this.chosen.forEach(
				(capability, backend) -> names.put(Capability.lowerCase(capability), Capability.lowerCase(backend)));
		return names;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		for (Capability capability : Capability.values()) {
			text.append(text.isEmpty() ? "" : ", ")
				.append(capability.name().toLowerCase(java.util.Locale.ROOT))
				.append('=')
				.append(Capability.lowerCase(of(capability)));
		}
		return text.toString();
	}

}
