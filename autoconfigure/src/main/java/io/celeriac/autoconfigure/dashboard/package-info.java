/**
 * Auto-configuration of the dashboard: web pages and a JSON API that show and operate
 * tasks, queues, workers, error queues and cache regions.
 */
@NullMarked
package io.celeriac.autoconfigure.dashboard;

import org.jspecify.annotations.NullMarked;
