package io.celeriac.autoconfigure.observation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Captures the lines a logger writes with the MDC as it was when each was written (a
 * Logback {@code ListAppender} would read the MDC only when asked, on the test's thread).
 *
 * @author Celeriac team
 */
final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private final List<Line> lines = new CopyOnWriteArrayList<>();

	private final Logger logger;

	private LogLines(Class<?> source) {
		this.logger = (Logger) LoggerFactory.getLogger(source);
	}

	static LogLines of(Class<?> source) {
		LogLines lines = new LogLines(source);
		lines.start();
		lines.logger.addAppender(lines);
		return lines;
	}

	@Override
	protected void append(ILoggingEvent event) {
		this.lines.add(new Line(event.getFormattedMessage(), Map.copyOf(event.getMDCPropertyMap())));
	}

	List<Line> lines() {
		return List.copyOf(this.lines);
	}

	@Override
	public void close() {
		this.logger.detachAppender(this);
		stop();
	}

	record Line(String message, Map<String, String> mdc) {

	}

}
