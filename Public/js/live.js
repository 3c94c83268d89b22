// The live kickoff page: the server is the clock (we correct for this browser's offset), the WebSocket
// tells us the round, the partner and when the round ends; the 1:1 video is WebRTC between the partners,
// signalled through the same WebSocket. Plain JS, no libraries, no inline script (strict CSP).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("live-config").textContent);
  const t = (key) => config.texts[key] || key;
  const $ = (id) => document.getElementById(id);
  let socket = null, offset = 0, bestRoundTrip = Infinity, state = null, retry = 500;
  let peer = null, peerRound = null, localStream = null, pendingCandidates = [];
  const isOrganiserView = !document.getElementById("lobby");
  const rated = new Set(JSON.parse(sessionStorage.getItem("rated:" + config.socketPath) || "[]"));
  window.liveState = () => ({ state, offset, peerState: peer ? peer.connectionState : null });

  function serverNow() { return Date.now() + offset; }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + config.socketPath);
    socket.onopen = () => {
      retry = 500;
      $("live-status").textContent = t("live.lobby");
      for (let i = 0; i < 5; i++) setTimeout(() => send({ type: "ping", t: Date.now() }), i * 200);
    };
    socket.onmessage = (event) => handle(JSON.parse(event.data));
    socket.onclose = () => {
      $("live-status").textContent = t("live.reconnecting");
      setTimeout(connect, retry);  // a reload or network drop puts us back into the current round
      retry = Math.min(retry * 2, 8000);
    };
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function handle(message) {
    if (message.type === "pong") {
      // Keep the sample with the shortest round trip: its midpoint estimate is the most accurate.
      const now = Date.now(), roundTrip = now - message.t;
      if (roundTrip < bestRoundTrip) { bestRoundTrip = roundTrip; offset = message.serverTime - (message.t + roundTrip / 2); }
    } else if (message.type === "state") {
      if (bestRoundTrip === Infinity) offset = message.serverTime - Date.now();
      state = message;
      render();
      updateCall();
    } else if (message.type === "signal") {
      onSignal(message);
    }
  }

  function render() {
    if (!state) return;
    const labels = { notStarted: "live.notStarted", talking: "live.talking", between: "live.between", paused: "live.paused", finished: "live.finished" };
    let status = t(labels[state.phase] || "live.lobby");
    if (state.round && state.phase !== "finished") status += " · " + t("live.round").replace("{1}", state.round).replace("{2}", state.rounds);
    $("live-status").textContent = status;
    const partner = state.phase === "finished" || state.phase === "notStarted" ? null : state.partner;
    if (state.presence) renderPresence(state.presence);
    if ($("lobby")) $("lobby").hidden = state.phase !== "notStarted";
    if (state.checkedIn && $("check-in")) { $("check-in").disabled = true; $("check-in-status").textContent = t("live.checkedIn"); }
    $("shortlist-link").hidden = state.phase !== "finished" || isOrganiserView;
    renderRating();
    // External meeting per pair (organiser's choice): a link instead of the built-in video.
    const external = partner && state.meetingLink;
    $("external-link").hidden = !external;
    if (external) $("external-link-a").href = state.meetingLink;
    $("videos").hidden = isOrganiserView || !!state.meetingLink;
    $("partner-card").hidden = !partner;
    $("pause-card").hidden = !!partner || !state.round || state.phase === "finished";
    if (partner) {
      $("partner-name").textContent = partner.name;
      $("partner-role").textContent = t("role." + partner.role);
      $("partner-topics").textContent = partner.topics.length ? t("live.partnerTopics") + " " + partner.topics.join(", ") : "";
    }
  }

  function renderPresence(rows) {
    const body = $("presence-rows");
    body.replaceChildren(...rows.map((row) => {
      const tr = document.createElement("tr");
      for (const text of [row.name, t("role." + row.role), t(row.connected ? "live.presence.connected" : "live.presence.away"),
                          t(row.checkedIn ? "live.presence.checkedIn" : "live.presence.notCheckedIn")]) {
        const td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
      }
      return tr;
    }));
    $("presence-count").textContent = t("live.connectedCount").replace("{1}", rows.filter((r) => r.connected).length).replace("{2}", rows.length);
  }

  // After each talk: the quick rating (yes / maybe / no) and a private note, until the next talk begins.
  function renderRating() {
    const panel = $("rating");
    if (!panel) return;
    const previous = state.previous;
    // Stays until answered or put off ("Später"): a short break alone may be too little time.
    const show = previous && !rated.has(previous.round);
    panel.hidden = !show;
    if (!show || $("rating-round").value === String(previous.round)) return;
    $("rating-form").reset();
    $("rating-round").value = previous.round;
    $("rating-partner").value = previous.partner.id;
    $("rating-heading").textContent = t("live.rate.title") + ": " + previous.partner.name;
    $("rating-status").textContent = "";
  }

  if ($("rating-form")) $("rating-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      const response = await fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)),
                                                   headers: { Accept: "application/json" }, credentials: "same-origin" });
      const reply = await response.json();
      $("rating-status").textContent = reply.message;
      if (reply.ok) {
        markRated(Number($("rating-round").value));
        setTimeout(() => { if (state) renderRating(); }, 1500);
      }
    } catch (error) {
      $("rating-status").textContent = t("live.reconnecting");
    }
  });

  function markRated(round) {
    rated.add(round);
    sessionStorage.setItem("rated:" + config.socketPath, JSON.stringify([...rated]));
  }

  if ($("rating-later")) $("rating-later").addEventListener("click", () => {
    markRated(Number($("rating-round").value));
    renderRating();
  });

  if ($("check-in")) $("check-in").addEventListener("click", () => send({ type: "checkin" }));

  // Lobby microphone test: a level meter fed by the local stream.
  function meter(stream) {
    if (!$("mic-level") || !stream.getAudioTracks().length || !window.AudioContext) return;
    const context = new AudioContext(), analyser = context.createAnalyser();
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    setInterval(() => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128) / 128);
      $("mic-level").value = peak;
    }, 200);
  }

  setInterval(() => {
    if (!state || !state.endsAt) { $("live-clock").textContent = "--:--"; return; }
    const left = Math.max(0, Math.ceil((state.endsAt - serverNow()) / 1000));
    $("live-clock").textContent = String(Math.floor(left / 60)).padStart(2, "0") + ":" + String(left % 60).padStart(2, "0");
  }, 250);

  async function media() {
    if (localStream) return localStream;
    try {
      localStream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      $("local-video").srcObject = localStream;
      meter(localStream);
    } catch (error) {
      $("video-status").textContent = t("live.cameraBlocked");
    }
    return localStream;
  }

  function closeCall() {
    if (peer) peer.close();
    peer = null; peerRound = null; pendingCandidates = [];
    $("remote-video").srcObject = null;
  }

  async function updateCall() {
    const talking = state && state.phase === "talking" && state.partner && !state.meetingLink && !isOrganiserView;
    if (!talking) { if (state && state.phase !== "paused") closeCall(); return; }
    if (peer && peerRound === state.round) return;
    closeCall();
    peerRound = state.round;
    peer = new RTCPeerConnection({ iceServers: config.iceServers.map((url) => ({ urls: url })) });
    const round = state.round, current = peer;
    current.onicecandidate = (event) => { if (event.candidate) send({ type: "signal", data: { candidate: event.candidate.toJSON(), round } }); };
    current.ontrack = (event) => { $("remote-video").srcObject = event.streams[0]; };
    current.onconnectionstatechange = () => {
      if (current.connectionState === "connected") $("video-status").textContent = t("live.videoConnected");
    };
    const stream = await media();
    if (stream) stream.getTracks().forEach((track) => current.addTrack(track, stream));
    if (state.caller) {
      const offer = await current.createOffer();
      await current.setLocalDescription(offer);
      send({ type: "signal", data: { description: current.localDescription.toJSON(), round } });
    } else {
      send({ type: "signal", data: { ready: true, round } });  // the caller may have offered before we joined
    }
  }

  async function onSignal(message) {
    const data = message.data || {};
    if (!peer || data.round !== peerRound) return;
    if (data.ready && state.caller && peer.localDescription) {
      send({ type: "signal", data: { description: peer.localDescription.toJSON(), round: peerRound } });
    } else if (data.description) {
      if (data.description.type === "offer") {
        if (peer.signalingState !== "stable") return;
        await peer.setRemoteDescription(data.description);
        const answer = await peer.createAnswer();
        await peer.setLocalDescription(answer);
        send({ type: "signal", data: { description: peer.localDescription.toJSON(), round: peerRound } });
      } else if (peer.signalingState === "have-local-offer") {
        await peer.setRemoteDescription(data.description);
      }
      for (const candidate of pendingCandidates) await peer.addIceCandidate(candidate);
      pendingCandidates = [];
    } else if (data.candidate) {
      if (peer.remoteDescription) await peer.addIceCandidate(data.candidate); else pendingCandidates.push(data.candidate);
    }
  }

  if (!isOrganiserView) media();  // the lobby's camera and microphone test
  connect();
})();
