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
    $("partner-card").hidden = !partner;
    $("pause-card").hidden = !!partner || !state.round || state.phase === "finished";
    if (partner) {
      $("partner-name").textContent = partner.name;
      $("partner-role").textContent = t("role." + partner.role);
      $("partner-topics").textContent = partner.topics.length ? t("live.partnerTopics") + " " + partner.topics.join(", ") : "";
    }
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
    const talking = state && state.phase === "talking" && state.partner;
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

  media();
  connect();
})();
