/**
 * The SQS broker against the raw AWS SDK, on ElasticMQ.
 */
@NullMarked
package io.celeriac.benchmarks.sqs;

import org.jspecify.annotations.NullMarked;
