/* Draw a digit: the MNIST chapter's CNN, run in the reader's browser.
 *
 * The weights come from notebooks/06_mnist_cnn.ipynb (cnnrnn/webdemo.py writes
 * _static/mnist_cnn_weights.js, which sets window.CNNRNN_MNIST_WEIGHTS), with batch normalization
 * already folded into the convolutions. The forward pass below is the whole network: valid 3x3
 * convolutions with ReLU, 2x2 max pooling, global average pooling, a dense softmax layer.
 * No library, no server, no network: it works from the static site (and from file://).
 *
 * The drawing is prepared the way MNIST's digits were: the ink's bounding box scaled so that its
 * longer side is 20 pixels (keeping the aspect ratio, by area averaging), then placed in a 28x28
 * field so that its centre of mass sits at the centre.
 *
 * tests/test_site.py calls window.cnnrnnDigitDemo.predict on test digits and draws a "7" with
 * the mouse.
 */
(function () {
  "use strict";

  function decode(entry) {
    const text = atob(entry.data);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return { shape: entry.shape, data: new Float32Array(bytes.buffer) };
  }

  function prepare(payload) {
    return payload.ops.map(function (op) {
      const out = Object.assign({}, op);
      if (op.kernel) { out.kernel = decode(op.kernel); out.bias = decode(op.bias); }
      return out;
    });
  }

  // x: {h, w, c, data (Float32Array, row-major h, w, c)}
  function conv(x, op) {
    const [k, , cin, cout] = op.kernel.shape;
    const K = op.kernel.data, B = op.bias.data;
    const oh = x.h - k + 1, ow = x.w - k + 1;
    const out = new Float32Array(oh * ow * cout);
    const acc = new Float64Array(cout);
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let co = 0; co < cout; co++) acc[co] = B[co];
        for (let di = 0; di < k; di++) {
          for (let dj = 0; dj < k; dj++) {
            const xi = ((i + di) * x.w + (j + dj)) * cin;
            const ki = (di * k + dj) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const v = x.data[xi + ci];
              if (v === 0) continue;
              const row = ki + ci * cout;
              for (let co = 0; co < cout; co++) acc[co] += v * K[row + co];
            }
          }
        }
        const o = (i * ow + j) * cout;
        for (let co = 0; co < cout; co++) out[o + co] = op.relu && acc[co] < 0 ? 0 : acc[co];
      }
    }
    return { h: oh, w: ow, c: cout, data: out };
  }

  function maxpool2(x) {
    const h = Math.floor(x.h / 2), w = Math.floor(x.w / 2), c = x.c;
    const out = new Float32Array(h * w * c);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) for (let ch = 0; ch < c; ch++) {
      let m = -Infinity;
      for (let di = 0; di < 2; di++) for (let dj = 0; dj < 2; dj++) {
        m = Math.max(m, x.data[((2 * i + di) * x.w + (2 * j + dj)) * c + ch]);
      }
      out[(i * w + j) * c + ch] = m;
    }
    return { h: h, w: w, c: c, data: out };
  }

  function gap(x) {
    const out = new Float32Array(x.c);
    const sums = new Float64Array(x.c);
    for (let p = 0; p < x.h * x.w; p++) for (let ch = 0; ch < x.c; ch++) sums[ch] += x.data[p * x.c + ch];
    for (let ch = 0; ch < x.c; ch++) out[ch] = sums[ch] / (x.h * x.w);
    return { h: 1, w: 1, c: x.c, data: out };
  }

  function denseSoftmax(x, op) {
    const [n, m] = op.kernel.shape;
    const z = new Float64Array(m);
    for (let j = 0; j < m; j++) z[j] = op.bias.data[j];
    for (let i = 0; i < n; i++) {
      const v = x.data[i];
      for (let j = 0; j < m; j++) z[j] += v * op.kernel.data[i * m + j];
    }
    const top = Math.max.apply(null, z);
    let total = 0;
    for (let j = 0; j < m; j++) { z[j] = Math.exp(z[j] - top); total += z[j]; }
    return Float32Array.from(z, function (v) { return v / total; });
  }

  function predict(ops, pixels) {
    if (!pixels || pixels.length !== 784) throw new Error("predict needs 784 pixels (28x28) in [0, 1]");
    let x = { h: 28, w: 28, c: 1, data: Float32Array.from(pixels) };
    for (const op of ops) {
      if (op.op === "conv") x = conv(x, op);
      else if (op.op === "maxpool2") x = maxpool2(x);
      else if (op.op === "gap") x = gap(x);
      else if (op.op === "dense_softmax") return denseSoftmax(x, op);
      else throw new Error("unknown operation " + op.op);
    }
    throw new Error("the model has no softmax layer");
  }

  // The drawing (alpha channel = ink) as MNIST would have stored it: 784 values in [0, 1],
  // or null when nothing is drawn.
  function preprocess(canvas) {
    const size = canvas.width, height = canvas.height;
    const rgba = canvas.getContext("2d").getImageData(0, 0, size, height).data;
    const ink = new Float32Array(size * height);
    let top = height, bottom = -1, left = size, right = -1;
    for (let y = 0; y < height; y++) for (let x = 0; x < size; x++) {
      const v = rgba[(y * size + x) * 4 + 3] / 255;
      ink[y * size + x] = v;
      if (v > 0.05) { top = Math.min(top, y); bottom = Math.max(bottom, y); left = Math.min(left, x); right = Math.max(right, x); }
    }
    if (bottom < 0) return null;
    const bw = right - left + 1, bh = bottom - top + 1, longer = Math.max(bw, bh);
    const tw = Math.max(1, Math.round(bw * 20 / longer)), th = Math.max(1, Math.round(bh * 20 / longer));
    // area averaging: each target pixel is the mean of the source region it covers
    const small = new Float32Array(tw * th);
    const sx = bw / tw, sy = bh / th;
    for (let v = 0; v < th; v++) for (let u = 0; u < tw; u++) {
      const y0 = top + v * sy, y1 = y0 + sy, x0 = left + u * sx, x1 = x0 + sx;
      let sum = 0, area = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += wx * wy * ink[y * size + x];
          area += wx * wy;
        }
      }
      small[v * tw + u] = sum / area;
    }
    let mass = 0, cy = 0, cx = 0;
    for (let v = 0; v < th; v++) for (let u = 0; u < tw; u++) {
      const m = small[v * tw + u]; mass += m; cy += m * v; cx += m * u;
    }
    cy /= mass; cx /= mass;
    const oy = Math.min(28 - th, Math.max(0, Math.round(13.5 - cy)));
    const ox = Math.min(28 - tw, Math.max(0, Math.round(13.5 - cx)));
    const out = new Float32Array(784);
    for (let v = 0; v < th; v++) for (let u = 0; u < tw; u++) {
      out[(v + oy) * 28 + (u + ox)] = Math.min(1, small[v * tw + u]);
    }
    return out;
  }

  function build(root, ops) {
    root.innerHTML = "";
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 280;
    canvas.className = "digit-demo-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Drawing area: draw one digit with the mouse or a finger");
    const side = document.createElement("div");
    side.className = "digit-demo-side";
    const verdict = document.createElement("p");
    verdict.className = "digit-demo-verdict";
    verdict.setAttribute("aria-live", "polite");
    verdict.textContent = "Draw a digit in the box.";
    const bars = document.createElement("div");
    bars.className = "digit-demo-bars";
    const fills = [];
    for (let d = 0; d < 10; d++) {
      const row = document.createElement("div");
      row.className = "digit-demo-row";
      row.innerHTML = '<span class="digit-demo-label">' + d + '</span><span class="digit-demo-track">' +
        '<span class="digit-demo-fill"></span></span><span class="digit-demo-value">0.00</span>';
      bars.appendChild(row);
      fills.push(row);
    }
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "digit-demo-clear";
    clear.textContent = "Clear";
    side.append(verdict, bars, clear);
    root.append(canvas, side);

    const context = canvas.getContext("2d");
    context.lineWidth = 22;
    context.lineCap = context.lineJoin = "round";
    context.strokeStyle = "#000";
    let drawing = false, last = null;

    function point(event) {
      const box = canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * canvas.width / box.width,
              (event.clientY - box.top) * canvas.height / box.height];
    }
    function show(probabilities) {
      let best = 0;
      if (probabilities) for (let d = 1; d < 10; d++) if (probabilities[d] > probabilities[best]) best = d;
      for (let d = 0; d < 10; d++) {
        const p = probabilities ? probabilities[d] : 0;
        fills[d].querySelector(".digit-demo-fill").style.width = (100 * p).toFixed(1) + "%";
        fills[d].querySelector(".digit-demo-value").textContent = p.toFixed(2);
        fills[d].classList.toggle("digit-demo-best", !!probabilities && d === best);
      }
      verdict.textContent = probabilities
        ? "The network reads " + best + " (probability " + probabilities[best].toFixed(3) + ")."
        : "Draw a digit in the box.";
      root.dataset.prediction = probabilities ? String(best) : "";
    }
    function update() {
      const pixels = preprocess(canvas);
      show(pixels ? predict(ops, pixels) : null);
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true; last = point(event);
      canvas.setPointerCapture(event.pointerId);
      context.beginPath(); context.moveTo(last[0], last[1]); context.lineTo(last[0] + 0.01, last[1]); context.stroke();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      const p = point(event);
      context.beginPath(); context.moveTo(last[0], last[1]); context.lineTo(p[0], p[1]); context.stroke();
      last = p;
    });
    function stop() { if (drawing) { drawing = false; update(); } }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    clear.addEventListener("click", function () { context.clearRect(0, 0, canvas.width, canvas.height); show(null); });
    canvas.style.touchAction = "none";
    show(null);
    return { canvas: canvas, update: update };
  }

  function start() {
    const root = document.getElementById("digit-demo");
    const payload = window.CNNRNN_MNIST_WEIGHTS;
    if (!payload) {
      if (root) root.textContent = "The demo's weights are written when the book is built with its notebooks (make book).";
      return;
    }
    const ops = prepare(payload);
    const api = {
      model: payload.model, params: payload.params, note: payload.note,
      predict: function (pixels) { return Array.from(predict(ops, pixels)); },
      predictMany: function (images) { return images.map(function (pixels) { return Array.from(predict(ops, pixels)); }); },
      preprocess: function (canvas) { const p = preprocess(canvas); return p && Array.from(p); },
    };
    if (root) {
      root.classList.add("digit-demo");
      const ui = build(root, ops);
      api.canvas = ui.canvas;
      api.pixels = function () { const p = preprocess(ui.canvas); return p && Array.from(p); };
    }
    window.cnnrnnDigitDemo = api;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
