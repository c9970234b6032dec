/**
 * Workflows as Celery composes them: {@link io.celeriac.workflow.Signature signatures},
 * chains, {@code link} / {@code link_error} callbacks, groups and chords, sent by the
 * {@link io.celeriac.workflow.WorkflowClient} in the messages Celery 5.2.6 sends and
 * continued by the worker ({@link io.celeriac.workflow.WorkflowContinuation}) from what a
 * message's {@code embed} asks, whichever language published it. The
 * {@link io.celeriac.workflow.ChordJoin} SPI joins chord headers.
 */
@NullMarked
package io.celeriac.workflow;

import org.jspecify.annotations.NullMarked;
