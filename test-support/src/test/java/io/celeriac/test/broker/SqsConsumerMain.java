package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.sqs.SqsBroker;
import io.celeriac.test.services.SqsEndpoint;

/**
 * A worker in a child JVM for {@link SqsBrokerTests}: consumes an SQS broker queue,
 * prints what it holds and holds it until killed. Arguments: endpoint URL, region, queue,
 * visibility timeout in seconds.
 *
 * @author Celeriac team
 */
public final class SqsConsumerMain {

	private SqsConsumerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		SqsEndpoint endpoint = new SqsEndpoint(args[0], args[1], "celeriac", "celeriac");
		SqsBroker broker = new SqsBroker(endpoint.client(), Duration.ofSeconds(Long.parseLong(args[3])),
				Duration.ofSeconds(1), false);
		CountDownLatch never = new CountDownLatch(1);
		broker.consume(args[2], new ConsumerSettings(1, 1), (delivery) -> {
			System.out.println("holding " + new String(delivery.message().body(), StandardCharsets.UTF_8));
			System.out.flush();
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		never.await();
	}

}
