package io.celeriac.autoconfigure;

/**
 * Where a toolbox capability (cache regions, locks, limiters) keeps its state.
 *
 * @author Celeriac team
 */
public enum StoreType {

	/**
	 * Redis, shared by every process that uses the same server or cluster.
	 */
	REDIS,

	/**
	 * In this JVM only: correct within one process, not across processes. The embedded
	 * default.
	 */
	MEMORY

}
