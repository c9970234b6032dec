package io.celeriac.sample;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.stereotype.Component;

/**
 * The switch that {@link SampleTasks#report(String) sample.report} reads: while it is off
 * (as the application starts) the report fails and goes to the error queue; once it is
 * flipped on ({@code POST /api/switch?on=true}), a report requeued from the dashboard's
 * error-queue page succeeds.
 *
 * @author Celeriac team
 */
@Component
public class FeatureSwitch {

	private final AtomicBoolean on = new AtomicBoolean();

	/**
	 * Returns whether the switch is on.
	 * @return {@code true} when reports can be made
	 */
	public boolean isOn() {
		return this.on.get();
	}

	/**
	 * Turns the switch on or off.
	 * @param on {@code true} to let reports succeed
	 */
	public void set(boolean on) {
		this.on.set(on);
	}

}
