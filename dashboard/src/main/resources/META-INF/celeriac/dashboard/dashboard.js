/*
 * Celeriac dashboard: each page asks the JSON API under ./api/ for its figures, draws
 * them, and asks again every refresh interval. After each successful refresh it sets
 * data-refreshed-at (epoch ms) on #page. POSTs are same-origin JSON requests (the
 * application refuses any other action) and send the CSRF token Spring Security keeps in
 * the XSRF-TOKEN cookie, when there is one.
 */
(function () {
	'use strict';

	var STATES = ['PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'REVOKED'];
	var COLOURS = {
		PENDING: '#6e7781',
		STARTED: '#0969da',
		RETRY: '#bc4c00',
		SUCCESS: '#1a7f37',
		FAILURE: '#cf222e',
		REVOKED: '#8250df'
	};

	var page = document.getElementById('page');
	var kind = page.getAttribute('data-page');
	var status = document.getElementById('status');
	var settings = { refreshIntervalMillis: 2000, pageSize: 50 };
	var timer = null;

	// ---- helpers ----

	function csrfToken() {
		var match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
		return match ? decodeURIComponent(match[1]) : null;
	}

	function request(method, path, body) {
		var headers = { 'Accept': 'application/json' };
		if (method !== 'GET') {
			var token = csrfToken();
			if (token) {
				headers['X-XSRF-TOKEN'] = token;
			}
			headers['Content-Type'] = 'application/json';
		}
		// same-origin: the browser sends Sec-Fetch-Site: same-origin and its Origin,
		// which the application checks on every action
		return fetch('api/' + path, {
			method: method,
			headers: headers,
			mode: 'same-origin',
			credentials: 'same-origin',
			body: (body !== undefined) ? JSON.stringify(body) : undefined
		}).then(function (response) {
			return response.text().then(function (text) {
				var json = null;
				try {
					json = text ? JSON.parse(text) : null;
				}
				catch (ignored) {
					json = null;
				}
				if (!response.ok) {
					var error = new Error((json && json.error) ? json.error : ('HTTP ' + response.status));
					error.status = response.status;
					throw error;
				}
				return json;
			});
		});
	}

	function get(path) {
		return request('GET', path);
	}

	function post(path, body) {
		return request('POST', path, (body !== undefined) ? body : {});
	}

	function el(tag, attributes) {
		var element = document.createElement(tag);
		if (attributes) {
			Object.keys(attributes).forEach(function (name) {
				var value = attributes[name];
				if (value === null || value === undefined || value === false) {
					return;
				}
				if (name === 'text') {
					element.textContent = value;
				}
				else if (name === 'className') {
					element.className = value;
				}
				else {
					element.setAttribute(name, (value === true) ? '' : value);
				}
			});
		}
		for (var i = 2; i < arguments.length; i++) {
			var child = arguments[i];
			if (child === null || child === undefined) {
				continue;
			}
			element.appendChild((typeof child === 'string') ? document.createTextNode(child) : child);
		}
		return element;
	}

	function cell(className, value) {
		return el('td', { className: className, text: display(value) });
	}

	function display(value) {
		return (value === null || value === undefined || value === '') ? '—' : String(value);
	}

	function number(value) {
		return (value === null || value === undefined || value < 0) ? '—' : String(value);
	}

	// ISO 8601 in UTC, to the millisecond
	function time(value) {
		if (!value) {
			return '—';
		}
		return String(value).replace(/(\.\d{3})\d*Z$/, '$1Z');
	}

	function badge(state) {
		return el('span', { className: 'badge state-' + state, text: state });
	}

	function taskLink(taskId, text) {
		return el('a', { href: 'task.html?id=' + encodeURIComponent(taskId), text: text || taskId });
	}

	function fill(tbody, rows, columns, emptyText) {
		tbody.textContent = '';
		if (rows.length === 0) {
			tbody.appendChild(el('tr', { className: 'empty' }, el('td', { className: 'empty', colspan: columns, text: emptyText })));
			return;
		}
		rows.forEach(function (row) {
			tbody.appendChild(row);
		});
	}

	function unavailable(message) {
		var note = document.getElementById('unavailable');
		if (message) {
			note.textContent = message;
			note.hidden = false;
		}
		else {
			note.hidden = true;
		}
	}

	function flash(message, error) {
		var element = document.getElementById('flash');
		element.textContent = message;
		element.className = error ? 'flash error' : 'flash';
		element.hidden = false;
	}

	function params() {
		return new URLSearchParams(window.location.search);
	}

	// ---- refresh loop ----

	var running = null;
	var again = false;

	// one refresh at a time: a refresh asked for while one runs follows it
	function refresh() {
		if (timer) {
			clearTimeout(timer);
			timer = null;
		}
		if (running) {
			again = true;
			return running;
		}
		running = pages[kind]().then(function () {
			page.setAttribute('data-refreshed-at', String(Date.now()));
			status.textContent = 'Updated ' + time(new Date().toISOString());
			status.className = 'status';
		}, function (error) {
			status.textContent = 'Could not refresh: ' + error.message;
			status.className = 'status error';
		}).then(function () {
			running = null;
			if (again) {
				again = false;
				return refresh();
			}
			timer = setTimeout(refresh, settings.refreshIntervalMillis);
		});
		return running;
	}

	function act(button, promise, describe) {
		button.disabled = true;
		return promise.then(function (result) {
			flash(describe(result), false);
		}, function (error) {
			flash(error.message, true);
		}).then(function () {
			button.disabled = false;
			return refresh();
		});
	}

	// PT1M30S -> 1m30s
	function duration(value) {
		if (!value) {
			return value;
		}
		return String(value).replace(/^PT/, '').toLowerCase();
	}

	// ---- pages ----

	var chart = null;

	// epoch seconds -> HH:MM in UTC
	function hourMinute(seconds) {
		return new Date(seconds * 1000).toISOString().substring(11, 16);
	}

	function drawTimeline(timeline, now) {
		var container = document.getElementById('timeline-chart');
		container.hidden = !timeline;
		if (!timeline || typeof uPlot === 'undefined') {
			return;
		}
		var end = Math.floor(Date.parse(now) / 60000) * 60;
		var xs = [];
		for (var t = end - 59 * 60; t <= end; t += 60) {
			xs.push(t);
		}
		var index = {};
		xs.forEach(function (x, i) {
			index[x] = i;
		});
		var series = STATES.map(function () {
			return xs.map(function () {
				return 0;
			});
		});
		timeline.minutes.forEach(function (minute) {
			var i = index[Math.floor(Date.parse(minute.start) / 1000)];
			if (i === undefined) {
				return;
			}
			STATES.forEach(function (state, s) {
				series[s][i] = minute.counts[state] || 0;
			});
		});
		var data = [xs].concat(series);
		if (chart) {
			chart.setData(data);
			return;
		}
		var width = Math.max(320, container.clientWidth || 800);
		chart = new uPlot({
			width: width,
			height: 240,
			scales: { x: { time: true } },
			axes: [{
				values: function (u, splits) {
					return splits.map(hourMinute);
				}
			}, { label: 'tasks / minute' }],
			series: [{
				label: 'minute (UTC)',
				value: function (u, value) {
					return (value === null || value === undefined) ? '--' : hourMinute(value);
				}
			}].concat(STATES.map(function (state) {
				return { label: state, stroke: COLOURS[state], width: 2, fill: COLOURS[state] + '14' };
			}))
		}, data, container);
		window.addEventListener('resize', function () {
			chart.setSize({ width: Math.max(320, container.clientWidth), height: 240 });
		});
	}

	var pages = {

		overview: function () {
			return get('overview').then(function (overview) {
				var notes = [];
				STATES.forEach(function (state) {
					var element = document.querySelector('#state-counts [data-state="' + state + '"]');
					element.textContent = overview.stateCounts ? String(overview.stateCounts[state] || 0) : '–';
				});
				if (!overview.stateCounts) {
					notes.push('No task history: turn the monitor on (celeriac.monitor.enabled=true) to count tasks.');
				}
				drawTimeline(overview.timeline, overview.now);
				var queues = overview.queues.queues.map(function (queue) {
					return el('tr', { 'data-queue': queue.name },
						el('td', { className: 'name' }, el('a', { href: 'queues.html', text: queue.name })),
						cell('messages', number(queue.messages)),
						cell('consumers', queue.consumers),
						cell('delayed', queue.delayed),
						cell('error-messages', number(queue.errorMessages)));
				});
				fill(document.querySelector('#queues tbody'), queues, 5,
					overview.queues.available ? 'No queues' : 'No broker');
				document.getElementById('workers-up').textContent = display(overview.workersUp);
				if (overview.workersUp === null) {
					notes.push('No worker registry: workers are not counted.');
				}
				var errorQueues = (overview.errorQueues || []).map(function (queue) {
					return el('tr', { 'data-error-queue': queue.name },
						el('td', { className: 'name' }, el('a', { href: 'errors.html', text: queue.name })),
						cell('messages', number(queue.messages)));
				});
				fill(document.querySelector('#error-queues tbody'), errorQueues, 2, 'No error queues');
				unavailable(notes.join(' '));
			});
		},

		tasks: function () {
			var query = params();
			var form = document.getElementById('search');
			if (!form.getAttribute('data-filled')) {
				['id', 'name', 'state', 'from', 'to'].forEach(function (name) {
					if (query.get(name)) {
						form.elements[name].value = query.get(name);
					}
				});
				form.setAttribute('data-filled', 'true');
			}
			var api = new URLSearchParams();
			['id', 'name', 'state', 'from', 'to', 'after'].forEach(function (name) {
				if (query.get(name)) {
					api.set(name, query.get(name));
				}
			});
			return get('tasks?' + api.toString()).then(function (result) {
				unavailable(result.available ? null
						: 'No task history: turn the monitor on (celeriac.monitor.enabled=true) to search tasks.');
				var rows = result.tasks.map(function (task) {
					return el('tr', { 'data-task-id': task.taskId },
						el('td', { className: 'id' }, taskLink(task.taskId)),
						cell('name', task.name),
						el('td', { className: 'state' }, badge(task.state)),
						cell('seen-at', time(task.seenAt)),
						cell('date-done', time(task.dateDone)),
						cell('retries', task.retries));
				});
				fill(document.querySelector('#tasks tbody'), rows, 6, 'No tasks match');
				var next = document.getElementById('next-page');
				if (result.next) {
					var nextQuery = new URLSearchParams(api.toString());
					nextQuery.set('after', result.next);
					next.setAttribute('href', 'tasks.html?' + nextQuery.toString());
					next.hidden = false;
				}
				else {
					next.hidden = true;
				}
				var first = document.getElementById('first-page');
				if (query.get('after')) {
					var firstQuery = new URLSearchParams(api.toString());
					firstQuery.delete('after');
					first.setAttribute('href', 'tasks.html?' + firstQuery.toString());
					first.hidden = false;
				}
				else {
					first.hidden = true;
				}
			});
		},

		task: function () {
			var id = params().get('id');
			if (!id) {
				unavailable('Name a task: task.html?id=<task id>');
				return Promise.resolve();
			}
			return get('tasks/' + encodeURIComponent(id)).then(function (task) {
				unavailable(null);
				document.title = (task.name || task.taskId) + ' · Celeriac';
				setText('task-id', task.taskId);
				setText('task-name', task.name);
				var state = document.getElementById('task-state');
				state.textContent = task.state;
				state.className = 'badge state-' + task.state;
				setText('task-retries', task.retries);
				setText('task-routing-key', task.routingKey);
				setText('task-seen-at', time(task.seenAt));
				setText('task-date-done', time(task.dateDone));
				setText('task-worker', task.worker);
				setText('task-eta', task.eta);
				setText('task-expires', task.expires);
				setText('task-origin', task.origin);
				setText('task-group', task.groupId);
				setLink('task-parent', task.parentId);
				setLink('task-root', task.rootId);
				setText('task-args', json(task.args));
				setText('task-kwargs', json(task.kwargs));
				setText('task-result', json(task.result));
				setText('task-exception', task.exception);
				setText('task-traceback', task.traceback);
				var children = task.children.map(function (child) {
					return el('tr', { 'data-task-id': child.taskId },
						el('td', { className: 'id' }, taskLink(child.taskId)),
						cell('name', child.name),
						el('td', { className: 'state' }, badge(child.state)),
						cell('seen-at', time(child.seenAt)));
				});
				fill(document.querySelector('#task-children tbody'), children, 4, 'No children');
			}, function (error) {
				if (error.status === 404) {
					unavailable('No task ' + id + ' is known to the monitor or the result store.');
					return;
				}
				throw error;
			});
		},

		queues: function () {
			return get('queues').then(function (result) {
				unavailable(result.available ? null : 'No broker: this application has no queues.');
				var worker = result.worker;
				document.getElementById('worker-state').textContent = !worker.present ? 'none'
						: (worker.running ? 'running' : 'paused');
				document.querySelector('button[data-action="pause"]').hidden = !(worker.present && worker.running);
				document.querySelector('button[data-action="resume"]').hidden = !(worker.present && !worker.running);
				var rows = result.queues.map(function (queue) {
					return el('tr', { 'data-queue': queue.name },
						cell('name', queue.name),
						cell('messages', number(queue.messages)),
						cell('in-flight', queue.inFlight),
						cell('delayed', queue.delayed),
						cell('consumers', queue.consumers),
						el('td', { className: 'error-queue' }, el('a', { href: 'errors.html', text: queue.errorQueue })),
						cell('error-messages', number(queue.errorMessages)));
				});
				fill(document.querySelector('#queues tbody'), rows, 7, 'No queues');
			});
		},

		workers: function () {
			return get('workers').then(function (result) {
				unavailable(result.available ? null
						: 'No worker registry: this application does not know which workers run.');
				var rows = result.workers.map(function (worker) {
					var working = el('ul', { className: 'plain' });
					worker.workingOn.forEach(function (task) {
						working.appendChild(el('li', null, taskLink(task.taskId, task.task), ' since ' + time(task.since)));
					});
					return el('tr', { 'data-worker': worker.id },
						cell('id', worker.id),
						cell('host', worker.host),
						cell('pid', worker.pid),
						cell('queues', worker.queues.join(', ')),
						cell('heartbeat', time(worker.heartbeat)),
						cell('started', time(worker.started)),
						cell('version', worker.version),
						cell('consuming', worker.consuming ? 'yes' : 'paused'),
						el('td', { className: 'working-on' }, worker.workingOn.length ? working : 'idle'));
				});
				fill(document.querySelector('#workers tbody'), rows, 9, 'No live workers');
			}).then(function () {
				return get('schedules');
			}).then(function (result) {
				var note = document.getElementById('schedules-unavailable');
				note.hidden = result.available;
				note.textContent = result.available ? '' : 'This application publishes no recurring tasks.';
				var rows = result.schedules.map(function (schedule) {
					return el('tr', { 'data-schedule': schedule.name },
						cell('name', schedule.name),
						cell('task', schedule.task),
						cell('recurrence', schedule.recurrence),
						cell('missed-ticks', schedule.missedTicks === 'SKIP' ? 'skip' : 'run once'),
						el('td', { className: 'last-run' }, schedule.lastTaskId
								? taskLink(schedule.lastTaskId, time(schedule.lastRun)) : 'never'),
						cell('next-run', schedule.nextRun ? time(schedule.nextRun) : 'none'));
				});
				fill(document.querySelector('#schedules tbody'), rows, 6, 'No recurring tasks');
			});
		},

		errors: function () {
			return get('error-queues').then(function (result) {
				unavailable(result.available ? null : 'No broker: this application has no error queues.');
				var container = document.getElementById('error-queues');
				var seen = {};
				result.queues.forEach(function (queue) {
					seen[queue.name] = true;
					var section = errorSection(container, queue.name);
					section.querySelector('.count').textContent = number(queue.messages);
					var role = section.querySelector('.role');
					role.textContent = queue.monitor ? 'The monitor\'s error queue: the messages it could never record. '
						+ 'A requeued message goes back to the monitor queue only.' : '';
					role.hidden = !queue.monitor;
					// rebuilt only when it changed, so that an open stack trace stays open and
					// a button is not replaced under the pointer
					var signature = JSON.stringify(queue.listed) + '|' + queue.messages;
					if (section.getAttribute('data-listed') === signature) {
						return;
					}
					section.setAttribute('data-listed', signature);
					var selected = {};
					section.querySelectorAll('input.select:checked').forEach(function (box) {
						selected[box.value] = true;
					});
					var rows = queue.listed.map(function (message) {
						var id = message.taskId || '';
						var trace = message.stackTrace ? el('details', null, el('summary', { text: 'stack trace' }),
								el('pre', { className: 'code traceback', text: message.stackTrace })) : null;
						return el('tr', { 'data-task-id': id },
							el('td', null, el('input', { type: 'checkbox', className: 'select', value: id,
								checked: selected[id] === true, 'aria-label': 'select ' + id })),
							el('td', { className: 'task-id' }, id ? taskLink(id) : '—'),
							cell('task', message.task),
							cell('kind', message.kind),
							el('td', { className: 'reason' }, display(message.reason), trace),
							cell('exception', message.exception),
							cell('attempts', message.attempts),
							cell('last-failure', time(message.lastFailure)),
							el('td', { className: 'row-actions' },
								el('button', { type: 'button', 'data-action': 'requeue', text: 'Requeue', disabled: !id }),
								' ',
								el('button', { type: 'button', 'data-action': 'discard', text: 'Discard', disabled: !id })));
					});
					var more = (queue.messages > queue.listed.length)
						? ' (showing the first ' + queue.listed.length + ')' : '';
					section.querySelector('.shown').textContent = more;
					fill(section.querySelector('tbody'), rows, 9, 'Empty');
				});
				container.querySelectorAll('section[data-error-queue]').forEach(function (section) {
					if (!seen[section.getAttribute('data-error-queue')]) {
						section.remove();
					}
				});
			});
		},

		caches: function () {
			return get('caches').then(function (result) {
				unavailable(result.available ? null
						: 'No cache regions: configure celeriac.cache.regions to see their statistics here.');
				var rows = result.regions.map(function (region) {
					var namespaces = el('ul', { className: 'plain' });
					region.namespaces.forEach(function (namespace) {
						namespaces.appendChild(el('li', { className: 'mono', text: namespace.namespace + ': ' + namespace.hits
							+ ' hits, ' + namespace.misses + ' misses, ' + namespace.stale + ' stale' }));
					});
					return el('tr', { 'data-region': region.name },
						cell('name', region.name),
						cell('expires', duration(region.expires)),
						cell('hits', region.hits),
						cell('misses', region.misses),
						cell('stale', region.stale),
						el('td', { className: 'namespaces' }, region.namespaces.length ? namespaces : '—'),
						el('td', null, el('button', { type: 'button', 'data-action': 'invalidate', text: 'Invalidate' })));
				});
				fill(document.querySelector('#regions tbody'), rows, 7, 'No regions');
			});
		}

	};

	function setText(id, value) {
		document.getElementById(id).textContent = display(value);
	}

	function setLink(id, taskId) {
		var link = document.getElementById(id);
		if (taskId) {
			link.textContent = taskId;
			link.setAttribute('href', 'task.html?id=' + encodeURIComponent(taskId));
		}
		else {
			link.textContent = '—';
			link.removeAttribute('href');
		}
	}

	function json(value) {
		return (value === null || value === undefined) ? null : JSON.stringify(value, null, 2);
	}

	function errorSection(container, name) {
		var sections = container.querySelectorAll('section[data-error-queue]');
		for (var i = 0; i < sections.length; i++) {
			if (sections[i].getAttribute('data-error-queue') === name) {
				return sections[i];
			}
		}
		var section = el('section', { className: 'panel', 'data-error-queue': name },
			el('h2', null, el('span', { className: 'mono', text: name }), ' — ', el('span', { className: 'count', text: '–' }),
				' messages', el('span', { className: 'shown' })),
			el('p', { className: 'role note', hidden: true }),
			el('div', { className: 'actions' },
				el('button', { type: 'button', 'data-action': 'requeue-selected', text: 'Requeue selected' }),
				el('button', { type: 'button', 'data-action': 'discard-selected', text: 'Discard selected' }),
				el('button', { type: 'button', 'data-action': 'requeue-all', text: 'Requeue all' }),
				el('button', { type: 'button', 'data-action': 'discard-all', text: 'Discard all' })),
			el('table', { className: 'grid' },
				el('thead', null, el('tr', null, el('th', null, el('input', { type: 'checkbox', className: 'select-all',
					'aria-label': 'select all' })), el('th', { text: 'Task id' }), el('th', { text: 'Task' }),
					el('th', { text: 'Kind' }), el('th', { text: 'Reason' }), el('th', { text: 'Exception' }),
					el('th', { className: 'num', text: 'Attempts' }), el('th', { text: 'Last failure (UTC)' }), el('th'))),
				el('tbody')));
		container.appendChild(section);
		return section;
	}

	// ---- actions ----

	document.addEventListener('change', function (event) {
		var target = event.target;
		if (target.classList && target.classList.contains('select-all')) {
			var section = target.closest('section[data-error-queue]');
			section.querySelectorAll('input.select').forEach(function (box) {
				box.checked = target.checked;
			});
		}
	});

	document.addEventListener('click', function (event) {
		var button = event.target.closest ? event.target.closest('button[data-action]') : null;
		if (!button) {
			return;
		}
		var action = button.getAttribute('data-action');
		if (action === 'pause' || action === 'resume') {
			act(button, post('worker/' + action), function (state) {
				return 'The worker is ' + (state.running ? 'running' : 'paused') + '.';
			});
			return;
		}
		if (action === 'invalidate') {
			var region = button.closest('tr').getAttribute('data-region');
			act(button, post('caches/' + encodeURIComponent(region) + '/invalidate'), function () {
				return 'Invalidated region ' + region + '.';
			});
			return;
		}
		var section = button.closest('section[data-error-queue]');
		if (!section) {
			return;
		}
		var queue = section.getAttribute('data-error-queue');
		var base = 'error-queues/' + encodeURIComponent(queue) + '/';
		var describe = function (result) {
			return result.action + ': ' + result.messages + ' message(s) of ' + result.errorQueue + '.';
		};
		if (action === 'requeue' || action === 'discard') {
			var taskId = button.closest('tr').getAttribute('data-task-id');
			act(button, post(base + action, { taskIds: [taskId] }), describe);
		}
		else if (action === 'requeue-selected' || action === 'discard-selected') {
			var ids = [];
			section.querySelectorAll('input.select:checked').forEach(function (box) {
				if (box.value) {
					ids.push(box.value);
				}
			});
			if (ids.length === 0) {
				flash('Select messages first.', true);
				return;
			}
			act(button, post(base + action.replace('-selected', ''), { taskIds: ids }), describe);
		}
		else if (action === 'requeue-all' || action === 'discard-all') {
			var verb = (action === 'requeue-all') ? 'Requeue' : 'Discard';
			if (!window.confirm(verb + ' every message of ' + queue + '?')) {
				return;
			}
			act(button, post(base + action), describe);
		}
	});

	// ---- start ----

	get('settings').then(function (loaded) {
		settings = loaded;
	}, function () {
		// keep the defaults; the first refresh reports the error
	}).then(refresh);
})();
