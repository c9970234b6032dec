/**
 * Workflows: chains and chords on Celeriac's worker beside Python Celery's on the same
 * broker and result store.
 */
@NullMarked
package io.celeriac.benchmarks.workflow;

import org.jspecify.annotations.NullMarked;
