package io.celeriac.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sends any task by name, and shows what the result store knows of a task.
 *
 * @author Celeriac team
 */
@RestController
@RequestMapping("/api/tasks")
class TaskController {

	private final TaskClient client;

	private final ObjectProvider<ResultStore> results;

	TaskController(TaskClient client, ObjectProvider<ResultStore> results) {
		this.client = client;
		this.results = results;
	}

	@PostMapping("/{name}")
	Map<String, String> send(@PathVariable String name, @RequestBody(required = false) @Nullable TaskRequest request) {
		TaskRequest task = (request != null) ? request : new TaskRequest(null, null);
		TaskHandle<?> handle = this.client.send(name, task.args(), task.kwargs(), TaskOptions.defaults());
		return Map.of("id", handle.id());
	}

	@GetMapping("/{id}")
	ResponseEntity<Map<String, @Nullable Object>> find(@PathVariable String id) {
		ResultStore store = this.results.getIfAvailable();
		TaskResult result = (store != null) ? store.find(id).orElse(null) : null;
		if (result == null) {
			return ResponseEntity.notFound().build();
		}
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("id", result.taskId());
		body.put("name", result.name());
		body.put("state", result.state());
		body.put("result", result.value());
		body.put("error", (result.failure() != null)
				? result.failure().exceptionType() + ": " + result.failure().message() : null);
		body.put("traceback", (result.failure() != null) ? result.failure().traceback() : null);
		body.put("worker", result.worker());
		body.put("dateDone", result.dateDone());
		return ResponseEntity.ok(body);
	}

	/**
	 * A task's arguments, as posted.
	 *
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 */
	record TaskRequest(@Nullable List<Object> args, @Nullable Map<String, Object> kwargs) {

		TaskRequest {
			args = (args != null) ? args : List.of();
			kwargs = (kwargs != null) ? kwargs : Map.of();
		}

	}

}
