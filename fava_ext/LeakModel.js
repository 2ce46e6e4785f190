// @ts-check
/**
 * The Leak model page's charts, drawn with the Chart.js shipped in vendor/.
 *
 * Fava imports this module once and calls onExtensionPageLoad on every load
 * of the page, the first and each one through its router (which swaps the
 * page's HTML in place), so every call drops the charts of the last load and
 * draws the new ones from the JSON the page embeds (#leak-model-data).
 * The tables below the charts carry every figure, should these not draw.
 */

/** The extension's endpoint that serves vendor/chart.umd.min.js. */
const CHART_JS = new URL("../extension/LeakModel/chart.js", import.meta.url).href;
/** Series colours by period-table column; the net payment takes the text colour. */
const COLOURS = {
  revenue: "#3b7dd8",
  inference: "#e0703a",
  openai_share: "#7b61c9",
  microsoft_share: "#2a9d8f",
};

/** @type {Promise<any> | null} */
let library = null;
/** @type {Set<any>} */
const drawn = new Set();
let generation = 0;

/** Chart.js, imported once: its UMD build sets globalThis.Chart. */
function chartJs() {
  library ??= import(CHART_JS).then(
    () => /** @type {any} */ (globalThis).Chart,
    (error) => {
      library = null; // try again on the next load
      throw error;
    },
  );
  return library;
}

/**
 * 2469000000 -> "2.47B": the axis ticks only, which Chart.js picks (round numbers, so
 * a float reads as the Decimal would). Bar labels and tooltips are the page's, formatted
 * in Python by the formatter the CLI and publish use (leakledger.presentation).
 */
function short(value) {
  const magnitude = Math.abs(value);
  for (const [bound, suffix] of [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]]) {
    if (magnitude >= bound) {
      return `${Number((value / bound).toFixed(2))}${suffix}`;
    }
  }
  return `${Math.round(value)}`;
}


/** Destroy the charts of an earlier load (all, or those whose canvas left the page). */
function forget(all) {
  for (const chart of [...drawn]) {
    if (all || !chart.canvas.isConnected) {
      chart.destroy();
      drawn.delete(chart);
    }
  }
}

/** Follow a link through Fava's router, as a click on the tables' links does. */
function follow(href, near) {
  const link = document.createElement("a");
  link.href = href;
  link.hidden = true;
  near.append(link);
  link.click();
  link.remove();
}

/** Colours of Fava's theme (light or dark), as the page's CSS resolves them. */
function theme(box) {
  const style = getComputedStyle(box);
  return { text: style.color, grid: style.borderTopColor, strong: style.outlineColor, family: style.fontFamily };
}

/** How far the arrow of a range open above (a lower bound, "≥") reaches over its bar, in pixels. */
const OPEN_ARROW = 16;

/**
 * The whisker of each ranged bar: [x, y of its low end, y of its high end, open above?], in pixels.
 * A range draws from its low to its high end; a lower bound ([x, ∞)) draws an arrow up from its bar.
 */
function whiskers(chart) {
  const found = [];
  chart.data.datasets.forEach((dataset, i) => {
    if (!chart.isDatasetVisible(i)) return;
    const y = chart.scales.y;
    chart.getDatasetMeta(i).data.forEach((bar, j) => {
      if (dataset.data[j] == null) return;
      const low = dataset.lows[j], high = dataset.highs[j], kind = dataset.kinds[j];
      if (kind === "lower bound") {
        const from = low == null ? bar.y : y.getPixelForValue(Number(low));
        found.push({ x: bar.x, bottom: from, top: from - OPEN_ARROW, open: true, width: bar.width });
      } else if (low != null && high != null) {
        found.push({ x: bar.x, bottom: y.getPixelForValue(Number(low)), top: y.getPixelForValue(Number(high)),
                     open: false, width: bar.width });
      }
    });
  });
  return found;
}

/**
 * Ranges over the bars: a whisker from a range's low end to its high end (capped at both), or an
 * arrow up from a lower bound's bar (its top is open); a Chart.js plugin. The bar stands at the
 * figure as posted (a range's midpoint); the tooltip and the table state the range.
 */
const rangeWhiskers = {
  id: "leakRangeWhiskers",
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    const drawn = whiskers(chart);
    chart.$leakWhiskers = drawn.map(({ x, top, bottom, open }) => ({ x, top, bottom, open })); // for the tests
    ctx.save();
    ctx.strokeStyle = options.color;
    ctx.fillStyle = options.color;
    ctx.lineWidth = 1.5;
    for (const { x, top, bottom, open, width } of drawn) {
      const cap = Math.min(8, width / 3);
      ctx.beginPath();
      ctx.moveTo(x, bottom);
      ctx.lineTo(x, top);
      if (!open) {
        ctx.moveTo(x - cap, top);
        ctx.lineTo(x + cap, top);
        ctx.moveTo(x - cap, bottom);
        ctx.lineTo(x + cap, bottom);
      }
      ctx.stroke();
      if (open) {
        ctx.beginPath();
        ctx.moveTo(x - 4, top + 5);
        ctx.lineTo(x, top - 1);
        ctx.lineTo(x + 4, top + 5);
        ctx.closePath();
        ctx.fill();
      }
    }
    ctx.restore();
  },
};

/** A value label's size in pixels, and its gap from its bar (or the bar's whisker or arrow). */
const LABEL_FONT = 11, LABEL_GAP = 3;
/** Upright labels need bars at least this wide (the label's height, with a pixel each side). */
const UPRIGHT_BAR = LABEL_FONT + 2;

/** Each bar's label: its text, the bar's centre and the height its label stands over (or hangs under). */
function barLabels(chart, ctx) {
  const labels = [];
  const over = new Map(whiskers(chart).map((w) => [`${w.x}`, w.top])); // a label stands over its whisker
  chart.data.datasets.forEach((dataset, i) => {
    if (!chart.isDatasetVisible(i)) return;
    chart.getDatasetMeta(i).data.forEach((bar, j) => {
      const value = dataset.data[j];
      if (value == null) return;
      const text = dataset.barLabels[j] ?? "";
      const up = value >= 0;
      labels.push({ text, x: bar.x, up, barWidth: bar.width, length: ctx.measureText(text).width,
                    edge: up ? Math.min(bar.y, over.get(`${bar.x}`) ?? bar.y) : bar.y,
                    bar: [bar.x - bar.width / 2, Math.min(bar.y, bar.base), bar.x + bar.width / 2, Math.max(bar.y, bar.base)] });
    });
  });
  return labels;
}

/** A label's box [left, top, right, bottom]: level and centred over (or under) its bar, or upright reading upwards. */
function labelBox(label, upright) {
  const { x, edge, up, length } = label;
  if (upright) {
    const half = LABEL_FONT / 2 + 1;
    return up ? [x - half, edge - LABEL_GAP - length, x + half, edge - LABEL_GAP]
      : [x - half, edge + LABEL_GAP, x + half, edge + LABEL_GAP + length];
  }
  const half = length / 2 + 2;
  return up ? [x - half, edge - LABEL_GAP - 12, x + half, edge - LABEL_GAP]
    : [x - half, edge + LABEL_GAP, x + half, edge + LABEL_GAP + 12];
}

/**
 * How a chart's value labels stand: "level" where no two touch and none lies on another bar, else "upright"
 * where every bar is wide enough for one, else "none" (the bars are too narrow: the tooltips carry the figures).
 */
function labelLayout(labels) {
  const boxes = labels.map((label) => labelBox(label, false));
  const level = boxes.every((box, i) =>
    boxes.every((other, k) => k <= i || !overlap(box, other))
    && labels.every((other, k) => k === i || !overlap(box, other.bar)));
  if (level) return "level";
  return labels.every((label) => label.barWidth >= UPRIGHT_BAR) ? "upright" : "none";
}

/** Characters a tooltip line may hold on this chart: it wraps to stay inside a phone's screen. */
function lineWidth(chart) {
  return Math.max(24, Math.min(72, Math.floor(chart.width / 7.5)));
}

/** Text in lines of at most `width` characters, broken at spaces (a tooltip does not wrap by itself). */
function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A point's tooltip line: the series, then the page's words for the point (its range, span, kind, what it leaves out). */
function pointText(series, i) {
  return `${series.label}: ${series.tooltips[i]}`;
}

function overlap(a, b) {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/**
 * Labels on the bars ("≥ 617M" for a lower bound, "0 (capped)"); a Chart.js plugin. Every bar has its label,
 * on its own bar: level where none touches another, else upright (reading upwards, as on the published site).
 */
const valueLabels = {
  id: "leakValueLabels",
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = `${LABEL_FONT}px ${options.family}`;
    const labels = barLabels(chart, ctx);
    const layout = labelLayout(labels);
    const shown = layout === "none" ? [] : labels;
    // What was drawn, for the tests: each label's box and text, and its bar's [left, top, right, bottom].
    chart.$leakLayout = layout;
    chart.$leakLabels = shown.map((label) => labelBox(label, layout === "upright"));
    chart.$leakTexts = shown.map((label) => label.text);
    chart.$leakBars = shown.map((label) => label.bar);
    chart.$leakReach = shown.map(({ edge, up, length }) => ({ edge, up, reach: layout === "upright" ? length : 12 }));
    ctx.fillStyle = options.color;
    for (const label of shown) {
      if (layout === "level") {
        ctx.textAlign = "center";
        ctx.textBaseline = label.up ? "bottom" : "top";
        ctx.fillText(label.text, label.x, label.up ? label.edge - LABEL_GAP : label.edge + LABEL_GAP);
      } else {
        ctx.save();
        ctx.translate(label.x, label.up ? label.edge - LABEL_GAP : label.edge + LABEL_GAP);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = label.up ? "left" : "right";
        ctx.textBaseline = "middle";
        ctx.fillText(label.text, 0, 0);
        ctx.restore();
      }
    }
    ctx.restore();
  },
};

/** The period labels' size, and the room the value axis (its title and ticks) takes left of the bars, in pixels. */
const AXIS_FONT = 12, VALUE_AXIS = 76;
/** The least height of a chart's plot, whatever its legend and period labels take. */
const MIN_PLOT = 200;

/** Periods as runs: ["2026-Q1", "2026-Q2", "2026-Q3"] of all the periods -> "2026-Q1..2026-Q3"; apart, listed. */
function runs(picked, periods) {
  const at = picked.map((period) => periods.indexOf(period));
  const out = [];
  for (let k = 0; k < at.length;) {
    let end = k;
    while (end + 1 < at.length && at[end + 1] === at[end] + 1) end++;
    out.push(end - k >= 2 ? `${picked[k]}..${picked[end]}` : picked.slice(k, end + 1).join(", "));
    k = end + 1;
  }
  return out.join(", ");
}

/** Words in lines no wider than `width` pixels (null where one word alone is wider). */
function wrapPixels(text, width, measure) {
  const lines = [];
  for (const word of text.split(" ")) {
    if (measure(word) > width) return null;
    const last = lines.length ? `${lines[lines.length - 1]} ${word}` : null;
    if (last !== null && measure(last) <= width) lines[lines.length - 1] = last;
    else lines.push(word);
  }
  return lines;
}

/**
 * What stands under each period on a chart's axis, level, never skipped or slanted; and how wide the chart must be.
 *
 * Each period is wide enough for its name and for its bars to carry upright labels; where the box is narrower
 * the chart grows (its figure scrolls sideways). What the bars cover ("revenue 2025; inference 2025-01..2025-09",
 * "average of 4 quarters") wraps under the period where every word fits, else goes to the note under the chart.
 */
function axisLayout(spec, data, boxWidth, family) {
  const context = document.createElement("canvas").getContext("2d");
  const measure = (text) => {
    context.font = `${AXIS_FONT}px ${family}`;
    return context.measureText(text).width;
  };
  const count = data.periods.length;
  const bars = data.periods.map((_, i) => spec.series.filter((series) => series.per_quarter[i] != null).length);
  // a category's bars take 0.7 x 0.9 of it (datasets below)
  const least = Math.max(...data.periods.map((period, i) => Math.max(measure(period) + 8,
    (Math.max(1, bars[i]) * UPRIGHT_BAR) / (0.7 * 0.9))));
  const width = Math.max(boxWidth, Math.ceil(least * count + VALUE_AXIS));
  const room = (width - VALUE_AXIS) / count - 8;
  const under = data.periods.map((_, i) => [spec.captions[i], spec.averages[i]].filter(Boolean)
    .flatMap((text) => text.split("; ").map((part, k, all) => (k < all.length - 1 ? `${part};` : part))));
  const wrapped = under.map((parts) => parts.map((part) => wrapPixels(part, room, measure)));
  const fits = wrapped.every((parts) => parts.every((lines) => lines !== null));
  const lines = data.periods.map((period, i) => (fits ? [period, ...wrapped[i].flat()] : [period]));
  const notes = fits ? [] : data.periods.flatMap((period, i) => {
    const said = [spec.captions[i], spec.averages[i]].filter(Boolean);
    return said.length ? [`${period}: ${said.join("; ")}`] : [];
  });
  return { width, lines, notes };
}

function datasets(spec, data, colours) {
  return spec.series.map((series) => {
    const empty = series.values.every((v) => v == null);
    const withheld = series.withheld.some(Boolean);
    const bound = series.lower_bound.some(Boolean);
    const none = series.column === "revenue" ? " (none recorded or implied)" : " (none recorded)";
    const note = empty ? none : withheld ? " (withheld where the books have errors)"
      : bound ? " (≥: lower bound)" : "";
    const partial = [...new Set((series.partial ?? []).filter(Boolean))];
    const partialNote = partial.length ? ` (partial: ${partial.join("; ")})` : "";
    // A period with no bar beside others that have one: the legend names it, the tooltip says why.
    const blank = empty ? [] : data.periods.filter((_, i) => series.unknown[i] && !series.withheld[i]);
    const blankNote = blank.length ? ` (not known: ${runs(blank, data.periods)})` : "";
    return {
      label: `${series.label}${note}${partialNote}${blankNote}`,
      // Exact decimals from the page, drawn as numbers: a quarter's average of each row's figure.
      data: series.per_quarter.map((v) => (v == null ? null : Number(v))),
      lows: series.lows,
      highs: series.highs,
      kinds: series.kinds,
      links: series.links,
      barLabels: series.bar_labels,
      backgroundColor: COLOURS[series.column] ?? colours.strong,
      borderRadius: 3,
      maxBarThickness: 64,
      categoryPercentage: 0.7,
      barPercentage: 0.9,
      skipNull: true, // a period without the figure leaves no gap beside the other bar
    };
  });
}

/**
 * The series' names as an HTML list over the chart, which wraps a long name as Chart.js's legend cannot
 * ("... (partial: Bing unrecorded)" ran past the canvas); each is a button that shows or hides its bars.
 */
function legend(chart) {
  const list = document.createElement("ul");
  list.className = "chart-legend";
  chart.data.datasets.forEach((dataset, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.setAttribute("aria-pressed", "true");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = dataset.backgroundColor;
    button.append(swatch, dataset.label);
    button.addEventListener("click", () => {
      const shown = !chart.isDatasetVisible(i);
      chart.setDatasetVisibility(i, shown);
      button.setAttribute("aria-pressed", String(shown));
      chart.update();
    });
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  });
  return list;
}

function config(spec, data, colours, axis) {
  const labels = data.periods.map((period, i) => {
    const lines = [period];
    if (spec.captions[i]) lines.push(spec.captions[i]); // what this chart's bars cover, where less than the period
    if (spec.averages[i]) lines.push(spec.averages[i]);
    return lines.length > 1 ? lines : period;
  });
  // The axis reaches the highest end of every range, so no whisker is cut off.
  const highs = spec.series.flatMap((series) => series.highs.filter((v) => v != null).map(Number));
  return {
    type: "bar",
    data: { labels, datasets: datasets(spec, data, colours) },
    plugins: [rangeWhiskers, valueLabels],
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      layout: { padding: { top: 4 } },
      interaction: { mode: "index", intersect: false },
      scales: {
        x: {
          grid: { display: false },
          // every period labelled, level: axisLayout made each category wide enough for its lines
          ticks: { color: colours.text, font: { size: AXIS_FONT }, autoSkip: false, maxRotation: 0, minRotation: 0,
                   callback: (_value, index) => axis.lines[index] },
        },
        y: {
          title: { display: true, text: "USD per quarter", color: colours.text },
          beginAtZero: true,
          grace: "8%",
          ...(highs.length ? { suggestedMax: Math.max(...highs) } : {}),
          border: { display: false },
          grid: { color: colours.grid },
          ticks: { color: colours.text, callback: (value) => short(value), maxTicksLimit: 7 },
        },
      },
      plugins: {
        leakValueLabels: { color: colours.text, family: colours.family },
        leakRangeWhiskers: { color: colours.strong },
        legend: { display: false }, // the HTML list over the chart (legend())
        tooltip: {
          callbacks: {
            title: (items) => {
              const i = items[0]?.dataIndex ?? 0;
              return spec.captions[i] ? `${data.periods[i]} (${spec.captions[i]})` : data.periods[i];
            },
            label: (item) => wrap(pointText(spec.series[item.datasetIndex], item.dataIndex), lineWidth(item.chart)),
            // A series with no bar here says why, whether or not Chart.js lists it: never a silent gap.
            afterBody: (items) => {
              const i = items[0]?.dataIndex ?? 0;
              const listed = new Set(items.map((item) => item.datasetIndex));
              return spec.series.filter((series, k) => series.unknown[i] && !listed.has(k))
                .flatMap((series) => wrap(`${series.label}: ${series.unknown[i]}`, lineWidth(items[0].chart)));
            },
            footer: (items) => (items.some((it) => it.dataset.links[it.dataIndex]) ? "Click a bar for its entries" : ""),
          },
        },
      },
      onHover: (event, _elements, chart) => {
        const target = event.native?.target;
        if (target instanceof HTMLElement) {
          target.style.cursor = linkAt(chart, event) ? "pointer" : "default";
        }
      },
      onClick: (event, _elements, chart) => {
        const href = linkAt(chart, event);
        if (href) follow(href, chart.canvas.parentElement);
      },
    },
  };
}

/** The journal link of the bar under the pointer, if any. */
function linkAt(chart, event) {
  const [hit] = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, false);
  if (!hit) return null;
  return chart.data.datasets[hit.datasetIndex].links[hit.index] ?? null;
}

/**
 * Room for the bars and their labels: the plot at least MIN_PLOT tall whatever the legend and the period
 * labels take (the box grows), and the value axis high (or low) enough that every label stays inside it.
 */
function fit(chart, box) {
  const short = MIN_PLOT - (chart.chartArea.bottom - chart.chartArea.top);
  if (short > 0) {
    box.style.height = `${box.clientHeight + Math.ceil(short)}px`;
    chart.resize();
  }
  for (let round = 0; round < 3; round++) {
    const { top, bottom } = chart.chartArea;
    const y = chart.scales.y;
    const height = bottom - top;
    let max = y.max, min = y.min;
    for (const { edge, up, reach } of chart.$leakReach ?? []) {
      const left = 1 - (reach + LABEL_GAP + 2) / height; // the share of the plot the label leaves its bar
      if (left <= 0.1) continue; // a label longer than the plot: nothing would help
      if (up && edge - LABEL_GAP - reach < top) max = Math.max(max, y.getValueForPixel(edge) / left);
      if (!up && edge + LABEL_GAP + reach > bottom) min = Math.min(min, y.getValueForPixel(edge) / left);
    }
    if (max === y.max && min === y.min) return;
    chart.options.scales.y.suggestedMax = max;
    chart.options.scales.y.suggestedMin = min;
    chart.update();
  }
}

async function draw() {
  const current = ++generation;
  forget(true);
  const source = document.getElementById("leak-model-data");
  if (!source) return;
  const data = JSON.parse(source.textContent ?? "{}");
  const figures = data.charts.map((spec) => document.getElementById(`chart-${spec.id}`));
  let Chart;
  try {
    Chart = await chartJs();
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  } catch (error) {
    for (const figure of figures) {
      if (figure) figure.dataset.state = "failed";
    }
    console.warn("Leak model: Chart.js did not load; the tables carry every figure.", error);
    return;
  }
  if (current !== generation || !source.isConnected) return; // the page moved on meanwhile
  const boxes = figures.map((figure) => figure?.querySelector("canvas")?.parentElement ?? null);
  const layouts = () => data.charts.map((spec, i) => boxes[i] && axisLayout(spec, data, boxes[i].clientWidth,
    theme(boxes[i]).family));
  let axes = layouts();
  // A chart that needs more room than its column takes the whole row, and both do, side by side no longer.
  if (axes.some((axis, i) => axis && axis.width > boxes[i].clientWidth)) {
    boxes.find(Boolean)?.closest(".charts")?.classList.add("wide");
    axes = layouts();
  }
  data.charts.forEach((spec, i) => {
    const figure = figures[i], box = boxes[i], axis = axes[i];
    const canvas = box?.querySelector("canvas");
    if (!figure || !box || !canvas || !axis) return;
    if (axis.width > box.clientWidth) {
      box.style.width = `${axis.width}px`; // every period and label at its size: the figure scrolls sideways
      figure.style.overflowX = "auto";
      markMore(figure);
    }
    if (axis.notes.length) {
      const list = document.createElement("ul");
      list.className = "chart-notes";
      for (const note of axis.notes) list.append(Object.assign(document.createElement("li"), { textContent: note }));
      box.after(list);
    }
    const chart = new Chart(canvas, config(spec, data, theme(box), axis));
    drawn.add(chart);
    box.before(legend(chart));
    fit(chart, box);
    figure.dataset.state = "drawn";
  });
}

/**
 * Fava's own pages that show the model's figures as plain numbers: the notice goes atop these. An account
 * page names its account; its views by period (`?r=changes`, `?r=balances`) travel in the query.
 */
const BOUNDED_PAGES = /\/(income_statement|balance_sheet|trial_balance|journal|query|account)(?:\/([^/]*))?\/?$/;
/** The extension's endpoint that says which figures in view are lower bounds. */
const BOUNDS = new URL("../extension/LeakModel/bounds", import.meta.url);
let noticeGeneration = 0;

/**
 * A one-line notice atop Fava's Income Statement, Balance Sheet, Trial Balance,
 * Journal, Query and account pages that says what each number there is that is
 * not exact, linking to the Leak model page: those pages show "at least
 * 2,469,000,000" as 2,469,000,000. The words are the extension's (Python).
 */
async function boundNotice() {
  const current = ++noticeGeneration;
  document.querySelectorAll(".leak-bound-notice").forEach((old) => old.remove());
  const page = BOUNDED_PAGES.exec(location.pathname);
  if (!page || (page[1] === "account") !== Boolean(page[2])) return;
  const url = new URL(BOUNDS);
  url.search = location.search; // Fava's filters (and an account's view by period, `r`): the figures in view
  url.searchParams.set("page", page[1]); // ... and of the accounts this page shows
  if (page[2]) url.searchParams.set("of", decodeURIComponent(page[2]));
  const response = await fetch(url);
  if (!response.ok) return;
  const { notice } = await response.json();
  const article = document.querySelector("article");
  if (!notice || !article || current !== noticeGeneration) return;
  const line = document.createElement("p");
  line.className = "leak-bound-notice";
  line.setAttribute("role", "note");
  Object.assign(line.style, {
    margin: "0 0 0.75em", padding: "0.4em 0.7em", borderLeft: "4px solid #d8a13b",
    background: "color-mix(in srgb, #d8a13b 12%, transparent)",
  });
  const link = document.createElement("a");
  link.href = notice.href;
  link.textContent = notice.link;
  line.append(`${notice.text} `, link);
  article.prepend(line);
}

/** The Journal rows `selector` matches and what the extension's `endpoint` says of them; null: none, or no answer. */
async function journalRows(selector, endpoint) {
  const items = [...document.querySelectorAll(selector)];
  if (!items.length) return null;
  const response = await fetch(endpoint);
  if (!response.ok) return null;
  return { items, data: await response.json() };
}

/** The extension's endpoint that gives each revenue-share rule as people read it. */
const RULES = new URL("../extension/LeakModel/rules", import.meta.url);

/**
 * Fava's Journal draws a custom entry's values but no number, so a rule reads
 * `revenue-share Income:Microsoft:Bing "OpenAI"`. Write what it says in place of the
 * payee: `revenue-share Income:Microsoft:Bing → OpenAI 20%` (text formatted in Python).
 */
async function readableRules() {
  const found = await journalRows("li.custom.revenue-share", RULES);
  if (!found) return;
  const { items, data: { rules } } = found;
  const byKey = new Map(rules.map((rule) => [`${rule.date} ${rule.base}`, rule]));
  for (const item of items) {
    const date = item.querySelector(".datecell")?.textContent?.trim();
    const description = item.querySelector(".description");
    const account = description?.querySelector("a");
    const rule = byKey.get(`${date} ${account?.textContent?.trim()}`);
    if (!rule || !description || !account || description.querySelector(".leak-rule")) continue;
    // Keep the type and the account's link; the rest (the quoted payee) becomes the rule's reading.
    while (account.nextSibling) account.nextSibling.remove();
    const reading = document.createElement("span");
    reading.className = "leak-rule";
    reading.textContent = ` ${rule.text.slice(rule.base.length).trim()}`;
    account.after(reading);
  }
}

/** The extension's endpoint that gives what Fava's Journal leaves out of each figure record. */
const NUMBERS = new URL("../extension/LeakModel/numbers", import.meta.url);

/**
 * Fava's Journal draws a custom entry's amounts and text but no bare number, so
 * `figure "microsoft-stake" 0.27` read `figure "microsoft-stake"`; and it draws
 * "about 25B" and "17.2B" (17.15B to 17.25B) as exact amounts. Write the number
 * after the metric (`about 27% (0.27)`, text formatted in Python), or the qualifier
 * before the amount and its range after it, in the row whose context link names
 * the entry's hash.
 */
async function figureNumbers() {
  const found = await journalRows("li.custom.figure", NUMBERS);
  if (!found) return;
  const { items, data: { figures } } = found;
  const byHash = new Map(figures.map((figure) => [figure.hash, figure]));
  const said = (text) => {
    const span = document.createElement("span");
    span.className = "leak-figure-number num";
    span.textContent = text;
    return span;
  };
  for (const item of items) {
    const hash = item.querySelector(".datecell a")?.getAttribute("href")?.replace(/^#context-/, "");
    const figure = hash ? byHash.get(hash) : undefined;
    const description = item.querySelector(".description");
    if (!figure || !description || description.querySelector(".leak-figure-number")) continue;
    const amount = description.querySelector(".num");
    if (figure.text) description.append(" ", said(figure.text));
    if (figure.qualifier && amount) amount.before(said(figure.qualifier), " ");
    if (figure.range && amount) amount.after(" ", said(`(${figure.range})`));
  }
}

/** Mark a box (a table's, or a chart's figure) whose content runs past its right edge (data-more), as it scrolls too. */
function markMore(box) {
  const update = () => {
    const more = box.scrollWidth - box.clientWidth - box.scrollLeft > 2;
    box.toggleAttribute("data-more", more);
  };
  box.addEventListener("scroll", update, { passive: true });
  new ResizeObserver(update).observe(box);
  update();
}

/** Fava's extension hooks (fava/ext: has_js_module). */
export default {
  onPageLoad() {
    forget(false); // Fava's router replaced the page: let go of charts no longer on it
    boundNotice().catch((error) => console.warn("Leak model: no lower-bound notice", error));
    readableRules().catch((error) => console.warn("Leak model: rules left as Fava draws them", error));
    figureNumbers().catch((error) => console.warn("Leak model: figure numbers left as Fava draws them", error));
  },
  onExtensionPageLoad() {
    document.querySelectorAll(".leak-model .table-wrap").forEach(markMore);
    draw().catch((error) => console.error("Leak model: the charts failed to draw", error));
  },
};
