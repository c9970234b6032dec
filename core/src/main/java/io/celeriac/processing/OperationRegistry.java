package io.celeriac.processing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operations and callbacks this application defines, by name.
 *
 * @author Celeriac team
 */
public class OperationRegistry {

	private final Map<String, OperationMethod> operations = new ConcurrentHashMap<>();

	private final Map<String, CallbackMethod> callbacks = new ConcurrentHashMap<>();

	/**
	 * Registers an operation.
	 * @param operation the operation
	 * @throws OperationConfigurationException if another method has the name
	 */
	public void register(OperationMethod operation) {
		OperationMethod existing = this.operations.putIfAbsent(operation.name(), operation);
		if (existing != null && !existing.method().equals(operation.method())) {
			throw new OperationConfigurationException("Operation name '" + operation.name() + "' is used by both "
					+ OperationMethod.describe(existing.method()) + " and "
					+ OperationMethod.describe(operation.method()));
		}
	}

	/**
	 * Registers a callback.
	 * @param callback the callback
	 * @throws OperationConfigurationException if the operation has another callback
	 */
	public void register(CallbackMethod callback) {
		CallbackMethod existing = this.callbacks.putIfAbsent(callback.operation(), callback);
		if (existing != null && !existing.method().equals(callback.method())) {
			throw new OperationConfigurationException("Operation '" + callback.operation() + "' has two callbacks: "
					+ OperationMethod.describe(existing.method()) + " and "
					+ OperationMethod.describe(callback.method()));
		}
	}

	/**
	 * Finds an operation.
	 * @param name the operation name
	 * @return the operation, or empty
	 */
	public Optional<OperationMethod> find(String name) {
		return Optional.ofNullable(this.operations.get(name));
	}

	/**
	 * Finds the callback of an operation.
	 * @param operation the operation name
	 * @return the callback, or empty when the operation has none
	 */
	public Optional<CallbackMethod> callback(String operation) {
		return Optional.ofNullable(this.callbacks.get(operation));
	}

	/**
	 * Returns the operation names.
	 * @return the names, sorted
	 */
	public Set<String> names() {
		return new TreeSet<>(this.operations.keySet());
	}

	/**
	 * Checks that every callback belongs to a registered operation.
	 * @throws OperationConfigurationException if one does not
	 */
	public void validate() {
		for (CallbackMethod callback : this.callbacks.values()) {
			if (!this.operations.containsKey(callback.operation())) {
				throw new OperationConfigurationException("@OperationCallback(\"" + callback.operation() + "\") on "
						+ OperationMethod.describe(callback.method()) + " names no @Operation; operations: " + names());
			}
		}
	}

}
