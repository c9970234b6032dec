/**
 * The dashboard: web pages and a JSON API that show and operate tasks, queues, workers,
 * error queues and cache regions, served by Spring MVC. The views read the core's SPIs
 * (task history, queue inspector, worker registry, cache regions); the controllers and
 * the resource configurer serve them under the dashboard's path.
 */
@NullMarked
package io.celeriac.dashboard;

import org.jspecify.annotations.NullMarked;
