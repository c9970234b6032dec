package io.celeriac.test.workflow;

import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;

/**
 * The workflow suite with Celery's broker on SQS: the Java side on the
 * {@link io.celeriac.broker.sqs.SqsBroker}, the Python worker and clients on kombu's SQS
 * transport ({@code sqs://}), both on the test run's SQS server; results and chord joins
 * over Celery's Redis backend, as in {@link RedisWorkflowInteropTests}.
 *
 * @author Celeriac team
 */
@RealServices
class SqsBrokerWorkflowInteropTests extends RedisWorkflowInteropTests {

	private final SqsEndpoint sqs;

	SqsBrokerWorkflowInteropTests(RedisEndpoint redis, SqsEndpoint sqs) {
		super(redis);
		this.sqs = sqs;
	}

	@Override
	protected FlowBroker flowBroker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		return FlowBroker.sqs(this.sqs, isolation);
	}

}
