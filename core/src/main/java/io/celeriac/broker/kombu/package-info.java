/**
 * kombu's message envelope, shared by the brokers that store messages in kombu's layout
 * (Redis, SQS), so that Python Celery and Java read each other's messages.
 */
@NullMarked
package io.celeriac.broker.kombu;

import org.jspecify.annotations.NullMarked;
