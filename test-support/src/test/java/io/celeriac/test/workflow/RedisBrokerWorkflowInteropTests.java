package io.celeriac.test.workflow;

import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;

/**
 * The workflow suite with Celery's broker on Redis: the Java side on the Redis broker
 * (kombu's layout), the Python worker and clients on {@code redis://} with the same
 * {@code global_keyprefix}; results and chord joins over Celery's Redis backend, as in
 * {@link RedisWorkflowInteropTests}.
 *
 * @author Celeriac team
 */
@RealServices
class RedisBrokerWorkflowInteropTests extends RedisWorkflowInteropTests {

	private final RedisEndpoint redis;

	RedisBrokerWorkflowInteropTests(RedisEndpoint redis) {
		super(redis);
		this.redis = redis;
	}

	@Override
	protected FlowBroker flowBroker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		return FlowBroker.redis(this.redis, isolation);
	}

}
