/*
 * The network graph of the web view (issue 7), drawn with WebGL by sigma.js on a graphology
 * graph (both vendored: static/vendor/VENDORED.md). Load order on the page:
 *
 *   <script src="/static/vendor/graphology-0.26.0/graphology.umd.min.js"></script>
 *   <script src="/static/vendor/sigma-3.0.3/sigma.min.js"></script>
 *   <script src="/static/graph.js"></script>
 *
 * No inline script is needed (the CSP forbids it): the page's own script calls
 *
 *   GoenGraph.fetchNetwork({tier: ["inner"], kinds: ["same_event"], minStrength: 0.1})
 *     .then(function (data) { return GoenGraph.mount(container, data, {onClick: open}); });
 *
 * ``data`` is the answer of GET /api/v1/network (parallel arrays; docs/API.md). Positions come
 * from the server, so nothing is laid out here and the first frame is the final one.
 * mount() returns a handle: setColourBy("tier" | "community"), setFilter({tiers, kinds,
 * minStrength, communities}), highlightPath([ids]), focus(id), destroy(), and the sigma
 * renderer and graphology graph for anything else. Labels are drawn on the canvas by sigma
 * (text, never HTML), so a name with markup in it stays text.
 */
(function (global) {
  "use strict";

  var TIER_COLOURS = {
    inner: "#c0392b", close: "#e67e22", active: "#2e86c1", wide: "#16a085", dormant: "#95a5a6"
  };
  var NO_TIER = "#7f8c8d";
  // 12 colours that stay apart on white; communities beyond the 12th reuse them
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                 "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939"];
  // light tints (the kind's colour blended with white): at 50,000 links strong lines would
  // hide the people; opaque, because translucent WebGL lines blend badly on some drivers
  var KIND_COLOURS = {
    introduced_by: "#c198d2", mutual: "#bfdaea", same_event: "#bee7cf", same_org: "#e5e7e9"
  };
  var DIM_NODE = "#e3e6e8";
  var DIM_EDGE = "#f0f1f2";

  function nodeSize(strength, count) {
    // area grows with the tie: the strongest ties stand out, everyone stays clickable; a large
    // network gets smaller dots so that its groups do not melt into one blot (zooming in
    // enlarges them)
    var scale = Math.min(1, Math.max(0.4, Math.sqrt(1000 / Math.max(1, count || 1))));
    return (1.5 + 9 * Math.sqrt(Math.max(0, strength || 0))) * scale;
  }

  function toGraph(data) {
    var Graph = global.graphology.Graph;
    var graph = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    var n = data.nodes, e = data.edges;
    var tiers = data.tiers, kinds = data.kinds;
    var keys = new Array(n.id.length);
    for (var i = 0; i < n.id.length; i++) {
      keys[i] = String(n.id[i]);
      graph.addNode(keys[i], {
        x: n.x[i], y: n.y[i], label: n.label[i], size: nodeSize(n.strength[i], n.id.length),
        strength: n.strength[i], tier: n.tier[i] >= 0 ? tiers[n.tier[i]] : null,
        community: n.community[i], contactId: n.id[i]
      });
    }
    for (var j = 0; j < e.source.length; j++) {
      var kind = kinds[e.kind[j]];
      graph.addEdge(keys[e.source[j]], keys[e.target[j]], {
        kind: kind, also: e.also[j], weight: e.weight[j],
        size: 0.3 + 1.5 * e.weight[j], color: KIND_COLOURS[kind] || "#ccc"
      });
    }
    return graph;
  }

  function colourOf(attrs, by) {
    if (by === "community") {
      return attrs.community < 0 ? NO_TIER : PALETTE[attrs.community % PALETTE.length];
    }
    return TIER_COLOURS[attrs.tier] || NO_TIER;
  }

  function asSet(list) {
    if (!list || !list.length) return null;
    var set = Object.create(null);
    for (var i = 0; i < list.length; i++) set[list[i]] = true;
    return set;
  }

  function mount(container, data, options) {
    options = options || {};
    if (!global.graphology || !global.Sigma) {
      throw new Error("graphology and sigma must be loaded before graph.js is used");
    }
    var graph = toGraph(data);
    var state = {
      colourBy: options.colourBy || "tier",
      tiers: null, kinds: null, communities: null, minStrength: 0,
      hovered: null, neighbours: null, path: null, pathEdges: null
    };

    function nodeVisible(attrs) {
      if (state.tiers && !state.tiers[attrs.tier]) return false;
      if (state.communities && !state.communities[attrs.community]) return false;
      return attrs.strength >= state.minStrength;
    }

    function edgeVisible(attrs, source, target) {
      if (state.kinds) {
        // a pair linked in several ways stays while any of its kinds is chosen
        var any = false;
        for (var b = 0; b < data.kinds.length; b++) {
          if ((attrs.also >> b) & 1 && state.kinds[data.kinds[b]]) { any = true; break; }
        }
        if (!any) return false;
      }
      return nodeVisible(graph.getNodeAttributes(source)) &&
             nodeVisible(graph.getNodeAttributes(target));
    }

    var renderer = new global.Sigma(graph, container, {
      allowInvalidContainer: true,
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 9,
      labelDensity: 0.5,
      zIndex: true,
      nodeReducer: function (key, attrs) {
        var out = Object.assign({}, attrs);
        if (!nodeVisible(attrs)) { out.hidden = true; return out; }
        // the colour is chosen here, so recolouring needs no change to the graph's data
        out.color = colourOf(attrs, state.colourBy);
        if (state.path) {
          if (state.path[key]) { out.zIndex = 2; out.highlighted = true; out.forceLabel = true; }
          else { out.color = DIM_NODE; out.label = ""; out.zIndex = 0; }
        } else if (state.hovered) {
          if (key === state.hovered || state.neighbours[key]) { out.zIndex = 1; }
          else { out.color = DIM_NODE; out.label = ""; out.zIndex = 0; }
        }
        return out;
      },
      edgeReducer: function (key, attrs) {
        var out = Object.assign({}, attrs);
        var ends = graph.extremities(key);
        if (!edgeVisible(attrs, ends[0], ends[1])) { out.hidden = true; return out; }
        if (state.path) {
          if (state.pathEdges[key]) { out.size = 4; out.zIndex = 2; }
          else { out.color = DIM_EDGE; }
        } else if (state.hovered && ends[0] !== state.hovered && ends[1] !== state.hovered) {
          out.hidden = true;
        }
        return out;
      }
    });

    renderer.on("clickNode", function (event) {
      if (typeof options.onClick === "function") {
        var attrs = graph.getNodeAttributes(event.node);
        options.onClick(attrs.contactId, attrs);
      }
    });
    renderer.on("enterNode", function (event) {
      state.hovered = event.node;
      state.neighbours = asSet(graph.neighbors(event.node)) || Object.create(null);
      renderer.refresh({ skipIndexation: true });
    });
    renderer.on("leaveNode", function () {
      state.hovered = null;
      state.neighbours = null;
      renderer.refresh({ skipIndexation: true });
    });

    var handle = {
      sigma: renderer,
      graph: graph,
      setColourBy: function (by) {
        state.colourBy = by === "community" ? "community" : "tier";
        renderer.refresh({ skipIndexation: true });
      },
      setFilter: function (filter) {
        filter = filter || {};
        state.tiers = asSet(filter.tiers);
        state.kinds = asSet(filter.kinds);
        state.communities = asSet(filter.communities);
        state.minStrength = Number(filter.minStrength) || 0;
        renderer.refresh();
      },
      highlightPath: function (ids) {
        if (!ids || !ids.length) {
          state.path = null; state.pathEdges = null;
        } else {
          state.path = asSet(ids.map(String));
          state.pathEdges = Object.create(null);
          for (var i = 0; i + 1 < ids.length; i++) {
            var key = graph.edge(String(ids[i]), String(ids[i + 1]));
            if (key !== undefined) state.pathEdges[key] = true;
          }
        }
        renderer.refresh({ skipIndexation: true });
      },
      focus: function (id, opts) {
        // opts.animate false: move at once. Without a GPU each frame of an animation redraws
        // every link in software (about a second a frame at 50,000 links).
        var key = String(id);
        if (!graph.hasNode(key)) return false;
        var pos = renderer.getNodeDisplayData(key);
        var target = { x: pos.x, y: pos.y, ratio: 0.15 };
        if (opts && opts.animate === false) renderer.getCamera().setState(target);
        else renderer.getCamera().animate(target, { duration: 400 });
        return true;
      },
      destroy: function () { renderer.kill(); }
    };
    return handle;
  }

  // GET a JSON answer with the page's cookie; an answer that is not ok becomes an Error with
  // the companion's message (its one error shape), its status and body
  function getJson(url, init) {
    var request = Object.assign({ credentials: "same-origin", headers: {} }, init || {});
    request.headers = Object.assign({ Accept: "application/json" }, request.headers);
    return fetch(url, request).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          var error = new Error((body && body.error && body.error.message) || response.statusText);
          error.status = response.status;
          error.body = body;
          throw error;
        }
        return body;
      });
    });
  }

  function fetchNetwork(params, init) {
    params = params || {};
    var query = new URLSearchParams();
    if (params.tier && params.tier.length) query.set("tier", [].concat(params.tier).join(","));
    if (params.kinds && params.kinds.length) {
      query.set("kinds", [].concat(params.kinds).join(","));
    }
    if (params.minStrength) query.set("min_strength", String(params.minStrength));
    return getJson("/api/v1/network" + (query.toString() ? "?" + query.toString() : ""), init);
  }

  function fetchPaths(targetId, k, init) {
    return getJson("/api/v1/network/paths?to=" + encodeURIComponent(targetId) +
                   "&k=" + encodeURIComponent(k || 3), init);
  }

  global.GoenGraph = {
    mount: mount,
    fetchNetwork: fetchNetwork,
    fetchPaths: fetchPaths,
    getJson: getJson,
    toGraph: toGraph,
    nodeSize: nodeSize,
    TIER_COLOURS: TIER_COLOURS,
    KIND_COLOURS: KIND_COLOURS,
    PALETTE: PALETTE
  };
})(typeof window !== "undefined" ? window : this);
