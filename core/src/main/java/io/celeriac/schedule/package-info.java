/**
 * Recurring tasks: the {@link io.celeriac.schedule.Recurring @Recurring} annotation, the
 * {@link io.celeriac.schedule.ScheduleStore} SPI that lets exactly one process claim each
 * tick, and the {@link io.celeriac.schedule.RecurringTaskScheduler} that publishes the
 * claimed ticks.
 */
@NullMarked
package io.celeriac.schedule;

import org.jspecify.annotations.NullMarked;
