package io.celeriac.sample;

import java.util.List;
import java.util.Map;

import io.celeriac.cache.CacheInvalidation;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheStatistics;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows cache regions at work: a slow cached endpoint, invalidation, and the statistics.
 *
 * @author Celeriac team
 */
@RestController
@RequestMapping("/api/cache")
class CacheController {

	private final SlowSquares squares;

	private final CacheRegions regions;

	private final CacheInvalidation invalidation;

	CacheController(SlowSquares squares, CacheRegions regions, CacheInvalidation invalidation) {
		this.squares = squares;
		this.regions = regions;
		this.invalidation = invalidation;
	}

	@GetMapping("/slow-square/{n}")
	SlowSquares.SlowSquare square(@PathVariable long n) {
		return this.squares.square(n);
	}

	@DeleteMapping("/slow-square/{n}")
	void forget(@PathVariable long n) {
		this.squares.forget(n);
	}

	@DeleteMapping("/regions/{region}")
	void invalidate(@PathVariable String region) {
		this.invalidation.invalidateRegion(region);
	}

	@GetMapping("/stats")
	Map<String, Object> statistics() {
		List<CacheStatistics> statistics = this.regions.statistics();
		return Map.of("computations", this.squares.computations(), "regions", statistics);
	}

}
