// Draws the instance's BPMN diagrams with bpmn-js (served from this server) and marks
// each element done, active or waiting, or (process analytics) its heat: the time spent there.
// The page stays readable without it.
(function () {
  'use strict';
  var root = document.getElementById('diagrams');
  if (!root) { return; }

  function fail() {
    root.textContent = root.getAttribute('data-error');
    root.setAttribute('data-ready', 'error');
  }

  function mark(viewer, ids, className) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    ids.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, className); }
    });
  }

  // heat: {bpmn id: {level 1-5, hours (its typical wait), p90_hours}}; the page's table gives the same figures
  function heat(viewer, levels) {
    var overlays = viewer.get('overlays');
    var registry = viewer.get('elementRegistry');
    Object.keys(levels || {}).forEach(function (id) {
      var figures = levels[id];
      if (!registry.get(id) || !figures.level) { return; }
      viewer.get('canvas').addMarker(id, 'heat-' + figures.level);
      var badge = document.createElement('span');
      badge.className = 'heat-badge';
      badge.textContent = String(figures.hours).replace('.', ',') + ' h';
      overlays.add(id, { position: { bottom: 0, right: 0 }, html: badge });
    });
  }

  // Labels are 11-12 px at zoom 1 (bpmn-js TextRenderer): below 0.8 they blur, above 1.2 the
  // step's surroundings leave the frame. A long chain is shown around its active step.
  var READABLE = 0.8, CLOSE = 1.2, PAD = 40, LOWEST = 320, HIGHEST = 560;

  function clamp(value, low, high) { return Math.max(low, Math.min(high, value)); }

  function boxOf(shapes) {
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    shapes.forEach(function (shape) {
      [shape, shape.label].forEach(function (s) {
        if (!s || s.waypoints || s.width === undefined) { return; }
        x1 = Math.min(x1, s.x); y1 = Math.min(y1, s.y);
        x2 = Math.max(x2, s.x + s.width); y2 = Math.max(y2, s.y + s.height);
      });
    });
    return x1 === Infinity ? null : { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
  }

  // The active shapes and those one sequence flow away (what came before, what comes next).
  function activePhase(viewer, ids) {
    var registry = viewer.get('elementRegistry');
    var active = (ids || []).map(function (id) { return registry.get(id); })
      .filter(function (shape) { return shape && !shape.waypoints; });
    if (!active.length) { return null; }
    var around = active.slice();
    active.forEach(function (shape) {
      (shape.incoming || []).forEach(function (flow) { around.push(flow.source); });
      (shape.outgoing || []).forEach(function (flow) { around.push(flow.target); });
      (shape.attachers || []).forEach(function (event) { around.push(event); });
    });
    return { active: boxOf(active), around: boxOf(around.filter(Boolean)) };
  }

  // The canvas's height for `box` at `scale`, then the view centred on `centre` at that scale.
  function show(canvas, container, box, scale, centre) {
    container.style.height = clamp(box.height * scale + 2 * PAD, LOWEST, HIGHEST) + 'px';
    canvas.resized();
    var outer = canvas.getSize();
    canvas.viewbox({ x: centre.x - outer.width / scale / 2, y: centre.y - outer.height / scale / 2,
                     width: outer.width / scale, height: outer.height / scale });
  }

  function centreOf(box) { return { x: box.x + box.width / 2, y: box.y + box.height / 2 }; }

  function focus(canvas, container, phase) {
    var width = canvas.getSize().width - 2 * PAD;
    var scale = clamp(Math.min(width / phase.around.width, (HIGHEST - 2 * PAD) / phase.around.height), READABLE, CLOSE);
    var fits = phase.around.width * scale <= width && phase.around.height * scale <= HIGHEST - 2 * PAD;
    show(canvas, container, phase.around, scale, centreOf(fits ? phase.around : phase.active));
  }

  // The whole diagram, or, when it would be too small to read, its start at a readable scale
  // (the rest by dragging); `overview`: the whole, however small (the reader asked for it).
  function whole(canvas, container, overview) {
    var inner = canvas.viewbox().inner;
    var width = canvas.getSize().width - 2 * PAD;
    var scale = Math.min(1, width / inner.width, (HIGHEST - 2 * PAD) / inner.height);
    if (scale >= READABLE || overview) {
      show(canvas, container, inner, scale, centreOf(inner));
    } else {
      var outer = canvas.getSize();
      show(canvas, container, inner, READABLE, { x: inner.x - PAD / READABLE + outer.width / READABLE / 2,
                                                   y: centreOf(inner).y });
    }
  }

  function toggle(figure, canvas, container, phase) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'diagram-toggle secondary';
    button.setAttribute('aria-controls', container.id);
    var labels = [root.getAttribute('data-show-all') || 'Voir tout le diagramme',
                  root.getAttribute('data-show-current') || 'Revenir à l’étape en cours'];
    var overview = false;
    button.textContent = labels[0];
    button.addEventListener('click', function () {
      overview = !overview;
      if (overview) { whole(canvas, container, true); } else { focus(canvas, container, phase); }
      button.textContent = labels[overview ? 1 : 0];
      figure.setAttribute('data-view', overview ? 'whole' : 'current');
    });
    figure.insertBefore(button, container);
  }

  function draw(diagram, index) {
    var figure = document.createElement('figure');
    figure.className = 'diagram';
    figure.setAttribute('data-process-id', diagram.process_id);
    var caption = document.createElement('figcaption');
    caption.textContent = diagram.name + ' (' + diagram.file + ')';
    var container = document.createElement('div');
    container.className = 'canvas';
    container.id = 'diagram-canvas-' + index;
    figure.appendChild(caption);
    figure.appendChild(container);
    root.appendChild(figure);
    var viewer = new window.BpmnJS({ container: container });
    return viewer.importXML(diagram.xml).then(function () {
      var canvas = viewer.get('canvas');
      var phase = activePhase(viewer, diagram.active);
      if (phase) {
        focus(canvas, container, phase);
        toggle(figure, canvas, container, phase);
        figure.setAttribute('data-view', 'current');
      } else {
        whole(canvas, container, false);
      }
      mark(viewer, diagram.done, 'marker-done');
      mark(viewer, diagram.waiting, 'marker-waiting');
      mark(viewer, diagram.active, 'marker-active');
      heat(viewer, diagram.heat);
    });
  }

  if (!window.BpmnJS || !window.fetch) { fail(); return; }
  fetch(root.getAttribute('data-url'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    })
    .then(function (data) {
      return data.diagrams.reduce(function (chain, diagram, index) {
        return chain.then(function () { return draw(diagram, index); });
      }, Promise.resolve());
    })
    .then(function () { root.setAttribute('data-ready', 'true'); })
    .catch(fail);
}());
