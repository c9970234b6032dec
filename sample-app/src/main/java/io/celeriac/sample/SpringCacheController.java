package io.celeriac.sample;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows Spring's {@code @Cacheable} on a cache region: a slow cached endpoint and its
 * eviction; {@code GET /api/cache/stats} counts it under the namespace {@code spring}.
 *
 * @author Celeriac team
 */
@RestController
@RequestMapping("/api/spring-cache")
class SpringCacheController {

	private final SlowCubes cubes;

	SpringCacheController(SlowCubes cubes) {
		this.cubes = cubes;
	}

	@GetMapping("/slow-cube/{n}")
	SlowCubes.SlowCube cube(@PathVariable long n) {
		return this.cubes.cube(n);
	}

	@DeleteMapping("/slow-cube/{n}")
	void forget(@PathVariable long n) {
		this.cubes.forget(n);
	}

}
