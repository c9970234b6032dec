package io.celeriac.test.celery;

/**
 * A task that Celery's client sent and whose result it read back from the result backend.
 *
 * @param id the task id
 * @param resultJson the result as JSON, as Python's {@code json.dumps} writes it (e.g.
 * {@code 42}, {@code "text"}, {@code {"a": 1}})
 * @author Celeriac team
 */
public record SentTask(String id, String resultJson) {

}
