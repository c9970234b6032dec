package io.celeriac.test.process;

import java.util.concurrent.CountDownLatch;

/**
 * The main class that {@link JavaProcessTests} runs in a child JVM: prints its arguments
 * and a system property, then waits until it is stopped, or ends with the exit code given
 * after {@code exit}.
 *
 * @author Celeriac team
 */
public final class ChildMain {

	private ChildMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
		System.out.println("child started with " + String.join(" ", args) + " and greeting "
				+ System.getProperty("greeting") + " and variable " + System.getenv("CHILD_VARIABLE"));
		if (args.length == 2 && args[0].equals("exit")) {
			System.exit(Integer.parseInt(args[1]));
		}
		// nothing ever counts down: the child runs until the test stops or kills it
		new CountDownLatch(1).await();
	}

}
