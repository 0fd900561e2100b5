// TaskQ's admin page. Plain DOM, no framework and no build step: every value from the server is set as text,
// never parsed as HTML, and the page's Content-Security-Policy forbids any script but this file.
"use strict";

(() => {
  const GROUPS = ["FUTURE", "PENDING", "ACTIVE", "DIRTY", "FAILED", "SUCCEEDED", "CANCELLED"];
  // The timestamp that matters most in each group, and what to call it.
  const GROUP_TIME = {
    FUTURE: ["eta", "Due at"], PENDING: ["eta", "Due since"], ACTIVE: ["startedAt", "Started"],
    DIRTY: ["aliveAt", "Last heartbeat"], FAILED: ["finishedAt", "Failed at"], SUCCEEDED: ["finishedAt", "Finished"],
    CANCELLED: ["finishedAt", "Cancelled at"],
  };
  const PAGE_SIZE = 25;
  const REFRESH_MS = 5000;

  const view = {
    group: GROUPS.includes(location.hash.slice(1).toUpperCase()) ? location.hash.slice(1).toUpperCase() : "FAILED",
    filter: { queue: "", name: "", error: "", args: "", from: "", to: "" },
    offset: 0,
    detail: null, // { id, group } of the task shown in the drawer
    refreshing: false,
    refreshAgain: false,
    shown: {}, // what each table shows, so an unchanged one is not redrawn under the person's pointer
    loadFailed: false,
    noticeTimer: null,
    limits: null, // the configured limits on tasks running at once, read once: they change with a redeploy only
  };

  const $ = (id) => document.getElementById(id);

  /** Creates an element; children are nodes or strings, and strings always become text. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name.startsWith("on")) {
        node.addEventListener(name.slice(2), value);
      } else if (value !== false && value != null) {
        node.setAttribute(name, value === true ? "" : value);
      }
    }
    node.append(...children.filter((child) => child != null));
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attributes)) {
      node.setAttribute(name, value);
    }
    if (text != null) {
      node.textContent = text;
    }
    return node;
  }

  /** Calls the admin resource; state-changing calls carry the CSRF header that only same-origin scripts send. */
  async function api(method, path, parameters) {
    const url = new URL(path, document.baseURI);
    // A page opened as https://user:password@host/... must not put them in its calls: fetch refuses such URLs,
    // and the browser sends the credentials it signed in with anyway.
    url.username = url.password = "";
    for (const [name, value] of Object.entries(parameters || {})) {
      if (value !== "" && value != null) {
        url.searchParams.set(name, value);
      }
    }
    const headers = { Accept: "application/json" };
    if (method !== "GET") {
      headers["X-TaskQ-CSRF"] = "1";
    }
    const response = await fetch(url, { method, headers, credentials: "same-origin", cache: "no-store" });
    if (response.status === 204) {
      return null;
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error(body && body.error ? body.error : `${response.status} ${response.statusText}`);
    }
    return body;
  }

  function notice(message, kind) {
    const box = $("notice");
    box.textContent = message;
    box.className = kind;
    box.hidden = false;
    clearTimeout(view.noticeTimer);
    if (kind === "info") {
      view.noticeTimer = setTimeout(() => { box.hidden = true; }, 15000);
    }
  }

  /** Whether a table already shows this data; remembers the data otherwise. */
  function unchanged(table, data) {
    const json = JSON.stringify(data);
    if (view.shown[table] === json) {
      return true;
    }
    view.shown[table] = json;
    return false;
  }

  // ---- formatting ----

  /** Milliseconds of an ISO-8601 duration as Jackson writes it (PT0.25S, PT3M2S, PT49H). */
  function millis(duration) {
    const match = /^PT(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?[\d.]+)S)?$/.exec(duration || "");
    if (!match) {
      return 0;
    }
    return ((+match[1] || 0) * 3600 + (+match[2] || 0) * 60 + (+match[3] || 0)) * 1000;
  }

  function span(ms) {
    if (ms < 1000) {
      return `${Math.round(ms)} ms`;
    }
    const seconds = ms / 1000;
    if (seconds < 60) {
      return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
    }
    if (seconds < 3600) {
      return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
    }
    if (seconds < 86400) {
      return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
    }
    return `${Math.floor(seconds / 86400)} d ${Math.round((seconds % 86400) / 3600)} h`;
  }

  function when(instant) {
    if (!instant) {
      return "";
    }
    return new Date(instant).toLocaleString();
  }

  function relative(instant) {
    if (!instant) {
      return "";
    }
    const ms = Date.now() - new Date(instant).getTime();
    return ms >= 0 ? `${span(ms)} ago` : `in ${span(-ms)}`;
  }

  function compact(json, length) {
    const text = json == null ? "" : json;
    return text.length > length ? `${text.slice(0, length - 1)}…` : text;
  }

  function pretty(json) {
    try {
      return JSON.stringify(JSON.parse(json), null, 2);
    } catch (e) {
      return json;
    }
  }

  const title = (group) => group.charAt(0) + group.slice(1).toLowerCase();

  // ---- the figures ----

  function renderGroups(stats) {
    const totals = Object.fromEntries(GROUPS.map((group) => [group, 0]));
    for (const queue of stats.queues) {
      for (const group of GROUPS) {
        totals[group] += queue.groups[group] || 0;
      }
    }
    $("groups").replaceChildren(...GROUPS.map((group) => el("button", {
      type: "button", class: `card ${group.toLowerCase()}${group === view.group ? " selected" : ""}`,
      "data-group": group, "aria-pressed": String(group === view.group), onclick: () => select(group),
    }, el("span", { class: "count" }, totals[group].toLocaleString()), el("span", { class: "label" }, title(group)))));
  }

  /**
   * @return the rows to show: every entry of {@code counted}, and a row of zeros for each limited name it lacks, so
   *         that a limit shows before its first task
   */
  function withLimited(counted, limited) {
    const missing = Object.keys(limited).filter((name) => !counted.some((entry) => entry.name === name));
    return [...counted, ...missing.map((name) => ({ name, groups: {} }))].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** @return the text of a limits cell: "2 at once" across the cluster, "3 loops here" on this node, or "–" */
  function limitText(atOnce, loopsHere) {
    const parts = [];
    if (atOnce !== undefined) {
      parts.push(`${atOnce} at once`);
    }
    if (loopsHere !== undefined) {
      parts.push(`${loopsHere} loop${loopsHere === 1 ? "" : "s"} here`);
    }
    return parts.length === 0 ? "–" : parts.join(" · ");
  }

  function renderQueues(stats) {
    const limits = view.limits;
    if (unchanged("queues", [stats.queues, stats.runningByNode, limits])) {
      return;
    }
    const queues = withLimited(stats.queues, { ...limits.byQueue, ...limits.nodeLoops });
    const rows = queues.map((queue) => el("tr", { "data-queue": queue.name },
      el("td", null, queue.name, queue.paused ? el("span", { class: "badge" }, "paused") : null),
      ...GROUPS.map((group) => el("td", { class: `num ${(queue.groups[group] || 0) > 0 ? group.toLowerCase() : "zero"}` },
        (queue.groups[group] || 0).toLocaleString())),
      el("td", { class: "num" }, millis(queue.oldestPending) > 0 ? span(millis(queue.oldestPending)) : "–"),
      el("td", { class: "limit" }, limitText(limits.byQueue[queue.name], limits.nodeLoops[queue.name])),
      el("td", { class: "num" }, el("button", {
        type: "button", class: "secondary small", "data-action": queue.paused ? "resume" : "pause",
        onclick: () => act(`queues/${encodeURIComponent(queue.name)}/${queue.paused ? "resume" : "pause"}`, "POST",
          `Queue ${queue.name} ${queue.paused ? "resumed" : "paused"}`),
      }, queue.paused ? "Resume" : "Pause"))));
    if (rows.length === 0) {
      rows.push(el("tr", null, el("td", { colspan: 11, class: "muted" }, "No tasks yet.")));
    }
    $("queues").tBodies[0].replaceChildren(...rows);
    const nodes = Object.entries(stats.runningByNode);
    $("nodes").textContent = nodes.length === 0 ? "No task is running."
      : `Running: ${nodes.map(([node, count]) => `${node} ${count}`).join(" · ")}`;
  }

  /** The periodic schedules, each with its last and next slot, and a button that pauses or resumes it. */
  function renderSchedules(schedules) {
    $("schedules-panel").hidden = schedules.length === 0;
    if (unchanged("schedules", schedules)) {
      return;
    }
    const slot = (instant) => instant ? `${when(instant)} (${relative(instant)})` : "–";
    $("schedules").tBodies[0].replaceChildren(...schedules.map((schedule) => el("tr", { "data-schedule": schedule.name },
      el("td", null, schedule.name, schedule.pausedAt ? el("span", { class: "badge" }, "paused") : null),
      el("td", null, schedule.taskName),
      el("td", null, schedule.queue),
      el("td", null, el("code", null, schedule.cron), ` ${schedule.zone}`),
      el("td", null, slot(schedule.lastSlot), schedule.lastTask != null ? ` · task ${schedule.lastTask}` : ""),
      el("td", null, schedule.pausedAt ? "paused" : slot(schedule.nextSlot)),
      el("td", { class: "num" }, el("button", {
        type: "button", class: "secondary small", "data-action": schedule.pausedAt ? "resume" : "pause",
        onclick: () => act(`schedules/${encodeURIComponent(schedule.name)}/${schedule.pausedAt ? "resume" : "pause"}`,
          "POST", `Schedule ${schedule.name} ${schedule.pausedAt ? "resumed" : "paused"}`),
      }, schedule.pausedAt ? "Resume" : "Pause")))));
  }

  /**
   * Bars of this node's succeeded and failed attempts per minute; a line of the most due tasks in each minute, as
   * the server sampled them, so the last minutes show as soon as the page opens.
   */
  function renderChart(stats) {
    const chart = $("chart");
    const [width, height, left, right, top, bottom] = [480, 160, 36, 40, 10, 18];
    const minutes = stats.recentMinutes;
    const start = new Date(minutes[0].start).getTime();
    const end = new Date(minutes[minutes.length - 1].start).getTime() + 60000;
    const x = (time) => left + ((time - start) / (end - start)) * (width - left - right);
    const plot = height - top - bottom;
    const most = Math.max(1, ...minutes.map((minute) => minute.succeeded + minute.failed));
    const sampled = minutes.filter((minute) => minute.mostDue !== null);
    const deepest = Math.max(1, ...sampled.map((minute) => minute.mostDue));
    const nodes = [svg("line", { x1: left, x2: width - right, y1: top + plot, y2: top + plot, class: "axis" })];
    for (const minute of minutes) {
      const from = new Date(minute.start).getTime();
      const barWidth = Math.max(1, x(from + 60000) - x(from) - 3);
      let base = top + plot;
      for (const [count, kind] of [[minute.succeeded, "succeeded"], [minute.failed, "failed"]]) {
        const barHeight = (count / most) * plot;
        if (count > 0) {
          const bar = svg("rect", { x: x(from) + 1.5, y: base - barHeight, width: barWidth, height: barHeight, class: kind });
          bar.append(svg("title", {}, `${new Date(from).toLocaleTimeString()}: ${count} ${kind}`));
          nodes.push(bar);
        }
        base -= barHeight;
      }
    }
    const points = sampled.map((minute) => ({
      at: new Date(minute.start).getTime(),
      cx: x(new Date(minute.start).getTime() + 30000).toFixed(1),
      cy: (top + plot - (minute.mostDue / deepest) * plot).toFixed(1),
      due: minute.mostDue,
    }));
    if (points.length > 1) {
      nodes.push(svg("polyline", { points: points.map((p) => `${p.cx},${p.cy}`).join(" "), class: "depth" }));
    }
    for (const point of points) { // a dot per sampled minute, so a single minute shows too
      const dot = svg("circle", { cx: point.cx, cy: point.cy, r: 2.5, class: "depth-point" });
      dot.append(svg("title", {}, `${new Date(point.at).toLocaleTimeString()}: at most ${point.due} due`));
      nodes.push(dot);
    }
    nodes.push(
      svg("text", { x: left - 4, y: top + 8, class: "tick end" }, most.toLocaleString()),
      svg("text", { x: left - 4, y: top + plot, class: "tick end" }, "0"),
      svg("text", { x: width - right + 4, y: top + 8, class: "tick depth-tick" }, deepest.toLocaleString()),
      svg("text", { x: left, y: height - 4, class: "tick" }, "15 min ago"),
      svg("text", { x: width - right, y: height - 4, class: "tick end" }, "now"));
    chart.replaceChildren(...nodes);

    const recent = [...minutes].reverse().find((minute) => minute.started > 0);
    $("latency").textContent = recent
      ? `due to start: mean ${span(millis(recent.sinceDue.mean))}, max ${span(millis(recent.sinceDue.max))}`
        + ` · claim to start: mean ${span(millis(recent.sinceClaim.mean))}` : "";
  }

  // ---- the tasks of a group ----

  function renderTasks(page) {
    // Redrawn at least once a minute, so that "3 min ago" stays true.
    if (unchanged("tasks", [view.group, view.offset, page, Math.floor(Date.now() / 60000)])) {
      return;
    }
    const [field, label] = GROUP_TIME[view.group];
    $("time-column").textContent = label;
    $("tasks-title").textContent = `${title(view.group)} tasks`;
    const rows = page.tasks.map((task) => el("tr", {
      tabindex: 0, "data-id": task.id, class: view.detail && view.detail.id === task.id ? "selected" : null,
      onclick: () => open(task.id, view.group),
      onkeydown: (event) => event.key === "Enter" && open(task.id, view.group),
    },
    el("td", { class: "num mono" }, String(task.id)),
    el("td", null, task.name),
    el("td", null, task.queue),
    el("td", { class: "mono args" }, compact(task.args, 60)),
    el("td", { class: "num" }, `${task.attempt} / ${task.maxAttempts}`),
    el("td", null, when(task[field]), task[field] ? el("span", { class: "ago" }, ` · ${relative(task[field])}`) : null),
    el("td", { class: view.group === "SUCCEEDED" ? "error-cell earlier" : "error-cell" },
      compact((task.lastError || "").split("\n")[0], 90))));
    if (rows.length === 0) {
      rows.push(el("tr", null, el("td", { colspan: 7, class: "muted" }, `No ${view.group.toLowerCase()} tasks.`)));
    }
    $("tasks").tBodies[0].replaceChildren(...rows);
    const last = Math.min(view.offset + PAGE_SIZE, page.total);
    $("page").textContent = page.total === 0 ? "" : `${view.offset + 1}–${last} of ${page.total.toLocaleString()}`;
    $("previous").disabled = view.offset === 0;
    $("next").disabled = last >= page.total;
    $("retry-all").hidden = !["FAILED", "DIRTY", "CANCELLED"].includes(view.group);
    $("delete-all").hidden = view.group === "ACTIVE";
  }

  function select(group) {
    view.group = group;
    view.offset = 0;
    history.replaceState(null, "", `#${group.toLowerCase()}`);
    refresh();
  }

  // ---- one task ----

  async function open(id, group) {
    view.detail = { id, group };
    await showDetail();
    for (const row of $("tasks").tBodies[0].rows) {
      row.classList.toggle("selected", row.dataset.id === String(id));
    }
  }

  function close() {
    view.detail = null;
    $("detail").hidden = true;
    for (const row of $("tasks").tBodies[0].rows) {
      row.classList.remove("selected");
    }
  }

  async function showDetail() {
    const { id, group } = view.detail;
    let task;
    try {
      task = await api("GET", `tasks/${id}`);
    } catch (e) {
      close();
      notice(e.message, "error");
      return;
    }
    $("detail-title").textContent = `Task ${task.id} · ${task.name}`;
    const fields = [["State", task.state], ["Queue", task.queue], ["Priority", task.priority],
      ["Attempt", `${task.attempt} of ${task.maxAttempts}`], ["Due", when(task.eta)], ["Created", when(task.createdAt)],
      ["Started", when(task.startedAt)], ["Heartbeat", when(task.aliveAt)], ["Finished", when(task.finishedAt)],
      ["Worker", task.worker],
      ["Unique key", task.uniqueKey && task.uniqueKey + (task.uniquePerQueue ? " (in its queue)" : "")
        + (task.uniqueUntil ? `, held until ${when(task.uniqueUntil)}` : "")],
      ["Expires", when(task.expiresAt)],
      ["Cancelled", task.cancelledBy && `${when(task.cancelledAt)} by ${task.cancelledBy}`
        + (task.state === "RUNNING" ? " (its handler is asked to stop)" : "")],
    ].filter(([, value]) => value !== "" && value != null);
    $("detail-fields").replaceChildren(...fields.flatMap(([name, value]) => [el("dt", null, name),
      el("dd", null, String(value))]));
    $("detail-args").textContent = pretty(task.args);
    $("detail-result").textContent = task.result == null ? "" : pretty(task.result);
    $("detail-result").hidden = $("detail-result-title").hidden = task.result == null;
    $("detail-error").textContent = task.lastError || "";
    $("detail-error").hidden = $("detail-error-title").hidden = !task.lastError;
    renderHistory(task.history == null ? [] : JSON.parse(task.history));

    const actions = [];
    if (["FAILED", "CANCELLED"].includes(task.state) || (task.state === "RUNNING" && group === "DIRTY")) {
      actions.push(el("button", { type: "button", "data-action": "retry",
        onclick: () => act(`tasks/${id}/retry`, "POST", `Task ${id} is pending again`) }, "Retry now"));
    }
    if (task.state === "PENDING" || (task.state === "RUNNING" && !task.cancelledBy)) {
      const running = task.state === "RUNNING" && group !== "DIRTY";
      actions.push(el("button", { type: "button", class: "secondary", "data-action": "cancel",
        onclick: () => confirm(running ? `Cancel task ${id}? Its handler is asked to stop.` : `Cancel task ${id}?`)
          && act(`tasks/${id}/cancel`, "POST", running ? `Task ${id}: its handler is asked to stop`
            : `Task ${id} cancelled`, !running),
      }, "Cancel"));
    }
    if (task.state !== "RUNNING" || group === "DIRTY") {
      actions.push(el("button", { type: "button", class: "danger", "data-action": "delete",
        onclick: () => confirm(`Delete task ${id}?`) && act(`tasks/${id}`, "DELETE", `Task ${id} deleted`, true),
      }, "Delete"));
    }
    $("detail-actions").replaceChildren(...actions);
    $("detail").hidden = false;
  }

  /** Opens the task with this id, whatever its group, or says there is none. */
  async function find(id) {
    if (!/^\d+$/.test(id)) {
      notice(`A task id is a number, not "${id}"`, "error");
      return;
    }
    try {
      const task = await api("GET", `tasks/${id}`);
      const group = task.state === "PENDING" ? (new Date(task.eta) > new Date() ? "FUTURE" : "PENDING")
        : task.state === "RUNNING" ? "ACTIVE" : task.state;
      open(task.id, group);
    } catch (e) {
      notice(e.message, "error");
    }
  }

  /** Per task name, the count of each group: fetched only while the panel is open, as it counts the whole table. */
  async function renderNames() {
    const names = await api("GET", "names");
    const limited = view.limits.byName;
    if (unchanged("names", [names, limited])) {
      return;
    }
    const rows = withLimited(names, limited).map((entry) => el("tr", { "data-name": entry.name },
      el("td", null, entry.name),
      ...GROUPS.map((group) => el("td", { class: `num ${(entry.groups[group] || 0) > 0 ? group.toLowerCase() : "zero"}` },
        (entry.groups[group] || 0).toLocaleString())),
      el("td", { class: "limit" }, limitText(limited[entry.name], undefined))));
    if (rows.length === 0) {
      rows.push(el("tr", null, el("td", { colspan: 9, class: "muted" }, "No tasks yet.")));
    }
    $("names").tBodies[0].replaceChildren(...rows);
  }

  /** The task's story: one row per attempt it kept, oldest first, as text only. */
  function renderHistory(attempts) {
    $("detail-history").tBodies[0].replaceChildren(...attempts.map((attempt) => el("tr", null,
      el("td", { class: "num" }, String(attempt.attempt)),
      el("td", { title: relative(attempt.startedAt) }, when(attempt.startedAt)),
      el("td", { class: "num" }, attempt.startedAt && attempt.endedAt
        ? span(new Date(attempt.endedAt) - new Date(attempt.startedAt)) : ""),
      el("td", null, attempt.node || ""),
      el("td", { class: `outcome ${attempt.outcome}` }, attempt.outcome),
      el("td", { class: "error-cell", title: attempt.error || "" }, (attempt.error || "").split("\n")[0]))));
    $("detail-history").hidden = $("detail-history-title").hidden = attempts.length === 0;
  }

  /** Performs a change, says how it went (success is the text, or makes it from the answer), shows the queue. */
  async function act(path, method, success, closesDetail, parameters) {
    try {
      const result = await api(method, path, parameters);
      notice(typeof success === "function" ? success(result) : success, "info");
      if (closesDetail) {
        close();
      }
    } catch (e) {
      notice(e.message, "error");
    }
    await refresh();
  }

  // The resource's bulk endpoints: POST tasks/retry and DELETE tasks, each answering {"touched": n}.
  const BULK = {
    retry: { method: "POST", path: "tasks/retry", ask: "Retry", done: "Retried" },
    delete: { method: "DELETE", path: "tasks", ask: "Delete", done: "Deleted" },
  };

  const taskCount = (count, group) => `${count.toLocaleString()} ${group.toLowerCase()} task${count === 1 ? "" : "s"}`;

  /** The filter as the form shows it, applied or only typed. */
  function formFilter() {
    const form = new FormData($("filter"));
    // datetime-local is the browser's local time; the resource takes instants.
    const instant = (value) => value ? new Date(value).toISOString() : "";
    return { queue: form.get("queue").trim(), name: form.get("name").trim(), error: form.get("error").trim(),
      args: form.get("args").trim(), from: instant(form.get("from")), to: instant(form.get("to")) };
  }

  function describe(filter) {
    const parts = [filter.queue && `in queue ${filter.queue}`, filter.name && `named ${filter.name}`,
      filter.error && `whose error contains "${filter.error}"`,
      filter.args && `whose arguments contain "${filter.args}"`,
      filter.from && `from ${when(filter.from)}`, filter.to && `before ${when(filter.to)}`].filter(Boolean);
    return parts.length === 0 ? "(no filter: the whole group)" : parts.join(" ");
  }

  /**
   * Retries or deletes every task of the group that matches the filter the form shows, typed or applied, once the
   * person confirms how many match now; the answer says how many the server touched.
   */
  async function bulk(action) {
    const group = view.group;
    const filter = formFilter();
    if (JSON.stringify(filter) !== JSON.stringify(view.filter)) {
      view.filter = filter;
      view.offset = 0;
    }
    let matching;
    try {
      matching = (await api("GET", "tasks", { group, ...filter, limit: 1 })).total;
    } catch (e) {
      notice(e.message, "error");
      return;
    }
    if (matching === 0) {
      notice(`No ${group.toLowerCase()} tasks match ${describe(filter)}`, "info");
    } else if (confirm(`${action.ask} ${taskCount(matching, group)} ${describe(filter)}?`)) {
      await act(action.path, action.method, (result) => `${action.done} ${taskCount(result.touched, group)}`, true,
        { group, ...filter });
      return;
    }
    await refresh();
  }

  // ---- refreshing ----

  /** Shows the queue as it is now; a call while one is under way runs once more after it, with the latest view. */
  async function refresh() {
    if (view.refreshing) {
      view.refreshAgain = true;
      return;
    }
    view.refreshing = true;
    try {
      view.limits = view.limits || await api("GET", "limits");
      const [stats, page, schedules] = await Promise.all([api("GET", "stats"),
        api("GET", "tasks", { group: view.group, ...view.filter, offset: view.offset, limit: PAGE_SIZE }),
        api("GET", "schedules")]);
      renderGroups(stats);
      renderQueues(stats);
      renderSchedules(schedules);
      renderChart(stats);
      renderTasks(page);
      if ($("names-panel").open) {
        await renderNames();
      }
      if (view.detail) {
        await showDetail();
      }
      $("updated").textContent = `updated ${new Date(stats.at).toLocaleTimeString()}`;
      if (view.loadFailed) {
        $("notice").hidden = true;
        view.loadFailed = false;
      }
    } catch (e) {
      view.loadFailed = true;
      notice(`Could not load the queue: ${e.message}`, "error");
    } finally {
      view.refreshing = false;
      if (view.refreshAgain) {
        view.refreshAgain = false;
        refresh();
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("refresh").addEventListener("click", refresh);
    $("close-detail").addEventListener("click", close);
    document.addEventListener("keydown", (event) => event.key === "Escape" && close());
    $("previous").addEventListener("click", () => {
      view.offset = Math.max(0, view.offset - PAGE_SIZE);
      refresh();
    });
    $("next").addEventListener("click", () => {
      view.offset += PAGE_SIZE;
      refresh();
    });
    $("filter").addEventListener("submit", (event) => {
      event.preventDefault();
      view.filter = formFilter();
      view.offset = 0;
      refresh();
    });
    $("find").addEventListener("submit", (event) => {
      event.preventDefault();
      find(new FormData($("find")).get("id").trim());
    });
    $("names-panel").addEventListener("toggle", () => $("names-panel").open && renderNames());
    $("retry-all").addEventListener("click", () => bulk(BULK.retry));
    $("delete-all").addEventListener("click", () => bulk(BULK.delete));
    setInterval(() => $("auto-refresh").checked && !document.hidden && refresh(), REFRESH_MS);
    refresh();
  });
})();
