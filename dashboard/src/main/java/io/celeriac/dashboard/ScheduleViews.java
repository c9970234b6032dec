package io.celeriac.dashboard;

import java.util.List;

import io.celeriac.schedule.RecurringTaskScheduler;
import io.celeriac.schedule.ScheduleStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The recurring schedules with their last and next runs, as the workers page shows them:
 * {@code GET <celeriac.dashboard.path>/api/schedules}.
 *
 * @author Celeriac team
 */
@RestController
@RequestMapping("${celeriac.dashboard.path:/celeriac}/api")
public class ScheduleViews {

	private final @Nullable RecurringTaskScheduler scheduler;

	/**
	 * Creates the views.
	 * @param scheduler the recurring task scheduler, or {@code null} when the application
	 * publishes no recurring tasks
	 */
	public ScheduleViews(@Nullable RecurringTaskScheduler scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * Reads the schedules.
	 * @return the schedules
	 */
	@GetMapping("/schedules")
	public SchedulesView schedules() {
		if (this.scheduler == null) {
			return new SchedulesView(false, List.of());
		}
		return new SchedulesView(true, this.scheduler.status());
	}

	/**
	 * The schedules.
	 *
	 * @param available whether this application publishes recurring tasks
	 * @param schedules each schedule with its last and next runs, by name
	 */
	public record SchedulesView(boolean available, List<ScheduleStatus> schedules) {

	}

}
