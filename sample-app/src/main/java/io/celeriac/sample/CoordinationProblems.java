package io.celeriac.sample;

import io.celeriac.limit.LimiterUnavailableException;
import io.celeriac.lock.LockUnavailableException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers HTTP 503 with the reason when a lock or limiter cannot be reached (Redis is
 * down): the request is refused at once, and the client may try again later, instead of a
 * generic 500.
 *
 * @author Celeriac team
 */
@RestControllerAdvice
class CoordinationProblems {

	@ExceptionHandler(LockUnavailableException.class)
	ProblemDetail lockUnavailable(LockUnavailableException ex) {
		return unavailable("Lock unavailable", ex);
	}

	@ExceptionHandler(LimiterUnavailableException.class)
	ProblemDetail limiterUnavailable(LimiterUnavailableException ex) {
		return unavailable("Limiter unavailable", ex);
	}

	private static ProblemDetail unavailable(String title, RuntimeException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				String.valueOf(ex.getMessage()));
		problem.setTitle(title);
		return problem;
	}

}
