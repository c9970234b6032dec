package io.celeriac.shutdown;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A worker application for {@link GracefulShutdownTests}: Celeriac on RabbitMQ and Redis,
 * with the {@link RecordedWork} task.
 *
 * @author Celeriac team
 */
@SpringBootApplication
public class ShutdownWorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(ShutdownWorkerApplication.class, args);
	}

}
