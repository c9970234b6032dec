/**
 * The Amazon SQS broker: the topology's fan-out done by the producer, messages in the
 * envelope of kombu's SQS transport, and deliveries held with SQS visibility timeouts, on
 * the AWS SDK for Java v2.
 */
@NullMarked
package io.celeriac.broker.sqs;

import org.jspecify.annotations.NullMarked;
