package io.celeriac.task;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Sends tasks by name, whoever runs them: a Celeriac worker or a Python Celery worker on
 * the same broker. {@link Deferrable} methods send through it.
 *
 * @author Celeriac team
 */
public interface TaskClient {

	/**
	 * Sends a task and waits until the broker has confirmed it.
	 * @param name the task name, e.g. {@code reports.generate}
	 * @param args the positional arguments (anything Jackson writes as JSON)
	 * @param kwargs the keyword arguments
	 * @param options how to send it
	 * @return a handle on the task
	 * @throws TaskPublishException if the broker did not confirm the message
	 */
	default TaskHandle<@Nullable Object> send(String name, List<?> args, Map<String, ?> kwargs, TaskOptions options) {
		return send(name, args, kwargs, options, Object.class);
	}

	/**
	 * Sends a task and waits until the broker has confirmed it.
	 * @param <T> the result type
	 * @param name the task name
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param options how to send it
	 * @param resultType the type the result is read back as
	 * @return a handle on the task
	 * @throws TaskPublishException if the broker did not confirm the message
	 */
	<T> TaskHandle<T> send(String name, List<?> args, Map<String, ?> kwargs, TaskOptions options,
			java.lang.reflect.Type resultType);

	/**
	 * Sends a task without waiting for the broker's confirmation, so that one thread can
	 * have many messages in flight.
	 * @param <T> the result type
	 * @param name the task name
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param options how to send it
	 * @param resultType the type the result is read back as
	 * @return a future completed with the handle once the broker confirmed the message,
	 * or exceptionally with {@link TaskPublishException}
	 */
	<T> CompletableFuture<TaskHandle<T>> sendAsync(String name, List<?> args, Map<String, ?> kwargs,
			TaskOptions options, java.lang.reflect.Type resultType);

	/**
	 * Returns a handle on a task sent before, by this process or another one (a Python
	 * Celery client too), to read its state and result from the result store.
	 * @param <T> the result type
	 * @param taskId the task id
	 * @param resultType the type the result is read back as
	 * @return the handle
	 */
	<T> TaskHandle<T> handle(String taskId, java.lang.reflect.Type resultType);

}
