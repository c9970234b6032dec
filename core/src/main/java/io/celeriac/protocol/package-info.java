/**
 * Celery's task message protocol, version 2: the message model and its JSON encoding, so
 * that Java and Python Celery share one broker.
 */
@NullMarked
package io.celeriac.protocol;

import org.jspecify.annotations.NullMarked;
