// streamrec dashboard: live prequential RMSE, throughput, and top-K lookups, fed by server-sent events.
'use strict';

const $ = (id) => document.getElementById(id);
const fmt = (v, d = 3) => (v === null || v === undefined || Number.isNaN(v) || v === 'NaN') ? '–' : Number(v).toFixed(d);
const fmtInt = (v) => (v === null || v === undefined) ? '–' : Math.round(v).toLocaleString('en-US');
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const clock = (ms) => new Date(ms).toTimeString().slice(0, 8);
const stamp = (ms) => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
const MAX_POINTS = 3000;
const params = new URLSearchParams(location.search);

async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) { throw new Error(body.message || (r.status + ' ' + r.statusText)); }
  return body;
}

// ------------------------------------------------------------------ RMSE chart (event time)

const palette = ['#4fc3f7', '#ba68c8', '#81c784', '#ffb74d', '#f06292', '#4db6ac'];
const sources = new Map(); // source -> {win, cum, lastDrift}
// With several families (sources 'mf/trainer-0', 'popular/trainer-0') each family has one colour, so its subtasks'
// curves read as one family against the other's; single-family sources ('trainer-0') keep one colour each.
const familyColors = new Map();
const familyOf = (source) => source.includes('/') ? source.slice(0, source.indexOf('/')) : null;
Chart.defaults.color = '#8b98a5';
Chart.defaults.borderColor = '#243040';
Chart.defaults.font.size = 11;

const driftSet = { label: 'drift alarm', type: 'scatter', data: [], pointStyle: 'triangle', pointRadius: 7,
  backgroundColor: '#ef5350', borderColor: '#ef5350', order: 0 };
const rmseChart = new Chart($('rmseChart'), {
  type: 'line',
  data: { datasets: [driftSet] },
  options: {
    animation: false, parsing: false, normalized: true, maintainAspectRatio: false,
    interaction: { mode: 'nearest', intersect: false },
    scales: {
      x: { type: 'linear', title: { display: true, text: 'event time' },
           // dates for a replay spanning months; times of day when the span is short
           ticks: { maxTicksLimit: 8, callback: function (v) { return this.max - this.min < 2 * 86400000 ? stamp(v) : day(v); } } },
      y: { title: { display: true, text: 'RMSE' }, suggestedMin: 0.7 },
      // recall@10 of the next item (prequential ranking), on its own axis so both curves keep their scale
      recall: { position: 'right', min: 0, suggestedMax: 0.2, title: { display: true, text: 'recall@10' },
                grid: { drawOnChartArea: false } }
    },
    plugins: {
      legend: { labels: { boxWidth: 12 } },
      tooltip: { callbacks: { title: (items) => items.length ? day(items[0].parsed.x) : '' } }
    },
    elements: { point: { radius: 0 }, line: { borderWidth: 1.8, tension: 0.15 } }
  }
});

function sourceSets(source) {
  let s = sources.get(source);
  if (!s) {
    const family = familyOf(source);
    if (family !== null && !familyColors.has(family)) { familyColors.set(family, palette[familyColors.size % palette.length]); }
    const color = family !== null ? familyColors.get(family) : palette[sources.size % palette.length];
    s = {
      win: { label: source + ' window RMSE', data: [], borderColor: color, backgroundColor: color },
      cum: { label: source + ' cumulative', data: [], borderColor: color, backgroundColor: color, borderDash: [5, 4], borderWidth: 1.2 },
      recall: { label: source + ' window recall@10', data: [], borderColor: color, backgroundColor: color, borderDash: [1, 3],
                borderWidth: 1.5, yAxisID: 'recall' },
      lastDriftEvents: 0
    };
    sources.set(source, s);
    rmseChart.data.datasets.push(s.win, s.cum, s.recall);
  }
  return s;
}

function trim(arr) { if (arr.length > MAX_POINTS) { arr.splice(0, arr.length - MAX_POINTS); } }

// Keeps a series sorted by event time with one point per event time. Reports reach the page out of event-time order
// (trainer subtasks report independently; a restarted trainer re-reports from its checkpoint; a restarted scorer
// replays the whole topic to a reconnected page), and Chart.js draws points in array order (and is told the data is
// sorted: normalized): appending drew the line backwards, and equal event times made vertical zig-zags that the
// curve's tension bent backwards too. The newest report for an event time replaces the older one.
function upsert(data, x, y) {
  let lo = 0, hi = data.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (data[mid].x < x) { lo = mid + 1; } else { hi = mid; } }
  if (lo < data.length && data[lo].x === x) { data[lo].y = y; } else { data.splice(lo, 0, { x, y }); }
}

function addMetrics(m, redraw = true) {
  const source = m.source || 'trainer';
  const x = +m.eventTimeMs;
  // a report with no event time (a retired subtask's "count 0" marker) has no place on an event-time axis
  if (!Number.isFinite(x) || x <= 0) { latestMetrics.set(source, m); return; }
  const s = sourceSets(source);
  if (Number.isFinite(+m.windowRmse)) { upsert(s.win.data, x, +m.windowRmse); }
  if (Number.isFinite(+m.cumulativeRmse)) { upsert(s.cum.data, x, +m.cumulativeRmse); }
  // reports from a trainer that does not rank (or of format 1) carry no ranking: the recall curve just has no point
  if (m.ranking && Number.isFinite(+m.ranking.windowHitAt10)) { upsert(s.recall.data, x, +m.ranking.windowHitAt10); }
  if (m.driftEvents > s.lastDriftEvents) {
    upsert(driftSet.data, x, +m.windowRmse);
    s.lastDriftEvents = m.driftEvents;
  }
  trim(s.win.data); trim(s.cum.data); trim(s.recall.data); trim(driftSet.data);
  // the tiles show each source's furthest report in event time, not whichever arrived last
  const seen = latestMetrics.get(source);
  if (!seen || !(+seen.eventTimeMs > x)) { latestMetrics.set(source, m); }
  if (redraw) { rmseChart.update('none'); updateMetricTiles(); }
}

const latestMetrics = new Map();
function updateMetricTiles() {
  let count = 0, sq = 0, eps = 0, drift = 'STABLE', drifts = 0, win = null, hits = 0, samples = 0;
  for (const m of latestMetrics.values()) {
    // with several families the tiles are the default family's (the one the lists come from); the chart has them all
    if (servedModels.length > 1 && familyOf(m.source) !== servedModels[0]) { continue; }
    count += m.count; sq += (+m.cumulativeRmse) ** 2 * m.count; eps += +m.eventsPerSecond || 0;
    drifts += m.driftEvents; win = m.windowRmse;
    if (m.ranking && m.ranking.windowSamples > 0) {
      hits += (+m.ranking.windowHitAt10) * m.ranking.windowSamples; samples += m.ranking.windowSamples;
    }
    if (m.drift === 'DRIFT') { drift = 'DRIFT'; } else if (m.drift === 'RECOVERED' && drift !== 'DRIFT') { drift = 'RECOVERED'; }
  }
  if (!latestMetrics.size) { return; }
  $('t-rmse').textContent = fmt(win, 4);
  $('t-cum').textContent = count ? fmt(Math.sqrt(sq / count), 4) : '–';
  $('t-recall').textContent = samples ? fmt(hits / samples, 3) : '–';
  $('t-count').textContent = fmtInt(count);
  $('t-eps').textContent = fmtInt(eps);
  $('t-drift').textContent = drift + (drifts ? ' (' + drifts + ')' : '');
  $('t-drift').style.color = drift === 'DRIFT' ? '#ef5350' : (drift === 'RECOVERED' ? '#ffb74d' : '#81c784');
}

// ------------------------------------------------------------------ throughput chart (wall time)

const tput = {
  trainer: { label: 'trainer events/s', data: [], borderColor: '#4fc3f7', yAxisID: 'y' },
  ratings: { label: 'scorer ratings/s', data: [], borderColor: '#81c784', yAxisID: 'y' },
  rows: { label: 'factor rows/s', data: [], borderColor: '#ba68c8', yAxisID: 'y' },
  lag: { label: 'consumer lag', data: [], borderColor: '#ffb74d', borderDash: [4, 3], yAxisID: 'lag' }
};
const tputChart = new Chart($('tputChart'), {
  type: 'line',
  data: { datasets: Object.values(tput) },
  options: {
    animation: false, parsing: false, maintainAspectRatio: false,
    scales: {
      x: { type: 'linear', ticks: { callback: (v) => clock(v), maxTicksLimit: 6 } },
      y: { beginAtZero: true, title: { display: true, text: 'per second' } },
      lag: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'records' } }
    },
    plugins: { legend: { labels: { boxWidth: 12 } } },
    elements: { point: { radius: 0 }, line: { borderWidth: 1.6, tension: 0.2 } }
  }
});

function addStats(s) {
  const x = s.wallMs || Date.now();
  const latest = s.latest;
  // A report older than 5 s means the trainer is idle (or gone): plot 0 rather than its last rate.
  if (latest) { tput.trainer.data.push({ x, y: x - latest.wallTimeMs > 5000 ? 0 : (+latest.eventsPerSecond || 0) }); }
  if (s.ratingsSeenPerSec !== undefined) { tput.ratings.data.push({ x, y: s.ratingsSeenPerSec }); }
  if (s.factorRowsPerSec !== undefined) { tput.rows.data.push({ x, y: s.factorRowsPerSec }); }
  tput.lag.data.push({ x, y: (s.factorsLag || 0) + (s.inputLag || 0) });
  for (const d of Object.values(tput)) { while (d.data.length && d.data[0].x < x - 300000) { d.data.shift(); } }
  tputChart.update('none');

  $('t-rows').textContent = fmtInt(s.factorRowsPerSec);
  // served-list hit rate: of the ratings by users holding a pushed list, the share whose item was in it
  if ($('t-listhit')) {
    $('t-listhit').textContent = s.listedRatings ? fmt(s.listHits / s.listedRatings, 3) + ' of ' + fmtInt(s.listedRatings) : '–';
  }
  $('t-items').textContent = fmtInt(s.items) + ' · v' + (s.modelVersion ?? '–');
  $('t-lag').textContent = fmtInt(s.factorsLag) + ' · ' + fmtInt(s.inputLag);
  const st = $('state');
  st.textContent = (s.state || '?') + (s.kernel ? ' · ' + s.kernel : '') +
      (s.lastFactorAgeMs != null ? ' · last update ' + fmt(s.lastFactorAgeMs / 1000, 1) + ' s ago' : '');
  st.className = 'pill ' + (s.state === 'RUNNING' ? 'up' : 'down');
}

// ------------------------------------------------------------------ lists

function itemLi(it, scoreDigits = 2, previous) {
  const li = document.createElement('li');
  const title = document.createElement('span');
  title.className = 'title';
  title.textContent = it.title || ('item ' + it.item);
  title.title = 'item ' + it.item + (it.year ? ' (' + it.year + ')' : '');
  title.onclick = () => showItem(it.item);
  const genres = document.createElement('span');
  genres.className = 'genres';
  genres.textContent = (it.genres || []).join(', ') + (it.vector === 'features-only' ? ' · features only' : '');
  const score = document.createElement('span');
  score.className = 'score';
  score.textContent = fmt(it.score ?? it.rating, scoreDigits);
  li.append(title, genres, score);
  if (previous && !previous.has(it.item)) { li.className = 'new'; }
  return li;
}

function fill(listId, items, digits, previous) {
  const el = $(listId);
  el.replaceChildren(...items.map((it) => itemLi(it, digits, previous)));
}

// ------------------------------------------------------------------ user box

let currentUser = null;
let userItems = null;
let userBusy = false;

// The families the scorer serves (GET /models), the default first; with more than one, the user box shows one list
// per family side by side (?model=).
let servedModels = [];
const otherItems = new Map(); // family -> item ids of its last list, to mark what is new

function layoutUserLists() {
  const box = $('userLists');
  if (servedModels.length < 2 || box.classList.contains('several')) { return; }
  box.classList.add('several');
  const first = document.createElement('div');
  first.className = 'modelCol';
  const h = document.createElement('h4');
  h.textContent = servedModels[0];
  first.append(h, $('userRecs'));
  box.replaceChildren(first);
  for (const m of servedModels.slice(1)) {
    const col = document.createElement('div');
    col.className = 'modelCol';
    const title = document.createElement('h4');
    title.textContent = m;
    const ol = document.createElement('ol');
    ol.className = 'list';
    ol.id = 'userRecs-' + m;
    ol.dataset.model = m;
    col.append(title, ol);
    box.append(col);
  }
}

async function showUser(id, fresh = true) {
  if (userBusy) { return; }
  userBusy = true;
  try {
    const others = servedModels.slice(1);
    const [recs, rated, ...more] = await Promise.all([
      getJson('/users/' + encodeURIComponent(id) + '/recommendations?k=10'),
      getJson('/users/' + encodeURIComponent(id) + '/ratings?limit=50'),
      ...others.map((m) => getJson('/users/' + encodeURIComponent(id) + '/recommendations?k=10&model=' + encodeURIComponent(m))
          .catch(() => ({ items: [] })))]);
    const previous = fresh || !userItems ? null : userItems;
    if (fresh) { currentUser = id; }
    userItems = new Set(recs.items.map((i) => i.item));
    fill('userRecs', recs.items, 2, previous);
    others.forEach((m, k) => {
      const before = fresh ? null : otherItems.get(m) || null;
      otherItems.set(m, new Set(more[k].items.map((i) => i.item)));
      fill('userRecs-' + m, more[k].items, 2, before);
    });
    fill('userRated', rated.items, 1, null);
    const p = recs.profile;
    $('userMeta').innerHTML = '';
    const meta = document.createElement('span');
    meta.textContent = 'user ' + recs.user + ' · model v' + recs.modelVersion + ' · ' + recs.ratedCount + ' rated' +
        (p ? ' · ' + [p.gender, p.age, p.occupation].filter((x) => x != null).join(' / ') : '');
    $('userMeta').append(meta);
    if (recs.coldStart) {
      const flag = document.createElement('div');
      flag.className = 'flag';
      flag.textContent = 'cold start: ' + recs.note;
      $('userMeta').append(flag);
    }
    $('userUpdated').textContent = 'updated ' + clock(Date.now());
  } catch (e) {
    if (fresh) {
      currentUser = null;
      $('userRecs').replaceChildren(); $('userRated').replaceChildren();
      servedModels.slice(1).forEach((m) => $('userRecs-' + m).replaceChildren());
      $('userMeta').innerHTML = '<span class="err"></span>';
      $('userMeta').firstChild.textContent = e.message;
    }
  } finally {
    userBusy = false;
  }
}

// ------------------------------------------------------------------ item box and bias lists

async function showItem(id) {
  $('itemId').value = id;
  try {
    const [sim, also] = await Promise.all([
      getJson('/items/' + encodeURIComponent(id) + '/similar?k=10'),
      getJson('/items/' + encodeURIComponent(id) + '/also-liked?k=10')]);
    // Under the hybrid family, say whether the item's vector was learned from ratings or comes from its features alone.
    $('itemMeta').textContent = (sim.title || ('item ' + sim.item)) + (sim.genres && sim.genres.length ? ' · ' + sim.genres.join(', ') : '')
      + (sim.vector ? ' · vector: ' + (sim.vector === 'features-only' ? 'features only (no ratings yet)' : 'learned') : '');
    fill('itemSimilar', sim.items, 3);
    fill('itemAlso', also.items, 2);
    $('alsoBasis').textContent = also.basis === 'fans' ? 'by ' + also.fans + ' fans' : also.basis;
  } catch (e) {
    $('itemSimilar').replaceChildren(); $('itemAlso').replaceChildren();
    $('itemMeta').innerHTML = '<span class="err"></span>';
    $('itemMeta').firstChild.textContent = e.message;
  }
}

async function refreshBias() {
  try {
    const [top, bottom] = await Promise.all([getJson('/items/top-biased?k=10&order=desc'), getJson('/items/top-biased?k=10&order=asc')]);
    fill('biasTop', top.items, 2);
    fill('biasBottom', bottom.items, 2);
  } catch (e) { /* no model yet */ }
}

$('userForm').onsubmit = (ev) => { ev.preventDefault(); const v = $('userId').value.trim(); if (v) { showUser(v); } };
$('itemForm').onsubmit = (ev) => { ev.preventDefault(); const v = $('itemId').value.trim(); if (v) { showItem(v); } };

// ------------------------------------------------------------------ scorer instances (scale-out serving)

// /health lists every instance of this scorer application with the user partitions it owns and keeps standby copies
// of; a partition in motion belongs to nobody for a moment (its users get 503 + Retry-After, never a wrong list).
async function refreshInstances() {
  let h;
  try { h = await getJson('/health'); } catch (e) { return; }
  const list = h.instances || [];
  const body = $('instances').tBodies[0];
  const parts = (ps) => (ps && ps.length) ? ps.slice().sort((a, b) => a - b).join(', ') : '–';
  body.replaceChildren(...list.map((i) => {
    const tr = document.createElement('tr');
    for (const text of [i.address, parts(i.userPartitions), parts(i.standbyPartitions), i.self ? 'this page' : '']) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    if (i.self) { tr.lastChild.className = 'self'; }
    return tr;
  }));
  const owned = new Set(list.flatMap((i) => i.userPartitions || []));
  $('instancesNote').textContent = list.length === 0 ? 'a single instance without routing'
    : list.length + (list.length === 1 ? ' instance, ' : ' instances, ') + owned.size + ' user partitions owned'
      + (h.userPartitions && owned.size < h.userPartitions ? ' of ' + h.userPartitions + ' (rebalancing)' : '');
}

// ------------------------------------------------------------------ live updates

let lastRefresh = 0;
async function start() {
  try {
    servedModels = (await getJson('/models')).models || [];
    layoutUserLists();
  } catch (e) { /* an older scorer: one family */ }
  try {
    const h = await getJson('/metrics/rmse?limit=5000');
    h.points.forEach((m) => addMetrics(m, false));
    rmseChart.update('none');
    updateMetricTiles();
  } catch (e) { /* no metrics yet */ }
  try { addStats(await getJson('/stats')); } catch (e) { /* first sample not taken yet */ }
  refreshBias();
  refreshInstances();
  setInterval(refreshInstances, 5000);
  if (params.get('user')) { $('userId').value = params.get('user'); showUser(params.get('user')); }
  if (params.get('item')) { showItem(params.get('item')); }

  const es = new EventSource('/events');
  es.addEventListener('metrics', (ev) => addMetrics(JSON.parse(ev.data)));
  es.addEventListener('stats', (ev) => {
    addStats(JSON.parse(ev.data));
    const now = Date.now();
    if (now - lastRefresh >= 2000) {
      lastRefresh = now;
      if (currentUser !== null) { showUser(currentUser, false); }
      refreshBias();
    }
  });
  es.onerror = () => { $('state').textContent = 'reconnecting…'; $('state').className = 'pill down'; };
}
start();
