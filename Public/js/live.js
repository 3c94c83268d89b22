// The live kickoff page: the server is the clock (we correct for this browser's offset), the WebSocket
// tells us the round, the partner and when the round ends; the 1:1 video is WebRTC between the partners,
// signalled through the same WebSocket. Plain JS, no libraries, no inline script (strict CSP).
//
// One view at a time, from the server's state: lobby (before the start), talk (partner card and video),
// break (who comes next), pause (no partner this round), paused (by the organisers), finished (shortlist).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("live-config").textContent);
  const t = (key) => config.texts[key] || key;
  const fill = (text, ...values) => values.reduce((result, value, i) => result.split("{" + (i + 1) + "}").join(value), text);
  const $ = (id) => document.getElementById(id);
  const show = (id, visible) => { const element = $(id); if (element) element.hidden = !visible; };
  const setText = (id, text) => { const element = $(id); if (element && element.textContent !== text) element.textContent = text; };
  const isOrganiserView = !$("lobby");
  const root = $("live");
  let socket = null, offset = 0, bestRoundTrip = Infinity, state = null, retry = 500, view = "connecting";
  let peer = null, peerRound = null, peerKey = null, pendingCandidates = [], callStatus = "";
  let localStream = null, mediaRequest = null, mediaFailed = false, mediaReleased = false, meterTimer = null;
  const rated = new Set(JSON.parse(sessionStorage.getItem("rated:" + config.socketPath) || "[]"));
  // Muted stays muted across a reload (nobody should be on air again by surprise).
  const mediaKey = "media:" + config.socketPath;
  const saved = JSON.parse(sessionStorage.getItem(mediaKey) || "{}");
  let microphoneOn = saved.microphoneOn !== false, cameraOn = saved.cameraOn !== false;

  window.liveState = () => ({ state, offset, view, microphoneOn, cameraOn, peerState: peer ? peer.connectionState : null });

  function serverNow() { return Date.now() + offset; }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + config.socketPath);
    socket.onopen = () => {
      retry = 500;
      for (let i = 0; i < 5; i++) setTimeout(() => send({ type: "ping", t: Date.now() }), i * 200);
    };
    socket.onmessage = (event) => handle(JSON.parse(event.data));
    socket.onclose = () => {
      setText("live-status", t("live.reconnecting"));
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
      tick();
    } else if (message.type === "state") {
      if (bestRoundTrip === Infinity) offset = message.serverTime - Date.now();
      state = message;
      updateCall();  // closes a call that is over before the view changes
      render();
      // After the event, or when the talks are in an external meeting (which needs the camera): camera off here.
      if (state.phase === "finished" || state.meetingLink) releaseMedia();
    } else if (message.type === "signal") {
      onSignal(message);
    }
  }

  // --- what the page shows --------------------------------------------------------------------------------

  function currentView() {
    if (!state) return "connecting";
    switch (state.phase) {
      case "notStarted": return "lobby";
      case "between": return "break";
      case "finished": return "finished";
      // Paused by the organisers: a talk in progress goes on (the video stays); otherwise the paused card.
      case "paused": return peer ? "talk" : "paused";
      default: return state.partner ? "talk" : "pause";
    }
  }

  function statusText() {
    const round = state.round ? " · " + fill(t("live.round"), state.round, state.rounds) : "";
    switch (state.phase) {
      case "notStarted": return t("live.lobby");
      case "talking": return t("live.talking") + round;
      case "between": return fill(t("live.breakStatus"), state.round, state.rounds);
      case "paused": return t("live.paused") + round;
      default: return t("live.finished");
    }
  }

  function render() {
    if (!state) return;
    view = currentView();
    setText("live-status", statusText());
    if (state.presence) renderPresence(state.presence);
    for (const name of ["lobby", "talk", "break", "pause", "paused", "finished"]) root.classList.toggle("view-" + name, view === name);
    tick();
    if (isOrganiserView) return;

    if (state.checkedIn) { $("check-in").disabled = true; setText("check-in-status", t("live.checkedIn")); }
    show("lobby", view === "lobby");
    show("partner-card", view === "talk");
    show("break-card", view === "break");
    show("pause-card", view === "pause");
    show("paused-card", view === "paused");
    show("finished-card", view === "finished");
    show("shortlist-link", view === "finished");

    const partner = view === "talk" ? state.partner : null;
    // External meeting per pair (organiser's choice): a link instead of the built-in video.
    const external = !!(partner && state.meetingLink);
    show("external-link", external);
    if (external) $("external-link-a").href = state.meetingLink;
    if (partner) {
      setText("partner-name", partner.name);
      setText("partner-role", t("role." + partner.role));
      setText("partner-topics", partner.topics.length ? t("live.partnerTopics") + " " + partner.topics.join(", ") : "");
      setText("remote-caption", partner.name);
    }
    if (view === "break") {
      const next = state.partner;
      setText("break-next", next ? fill(t("live.break.next"), next.name) : t("live.break.noPartner"));
      setText("break-next-detail", next ? [t("role." + next.role), ...(next.topics.length ? [next.topics.join(", ")] : [])].join(" · ") : "");
      show("break-next-detail", !!next);
    }
    renderVideos();
    renderRating();
  }

  // The video area only when there is something to see: the own camera in the lobby, the partner in a talk.
  function renderVideos() {
    if (isOrganiserView) return;
    const lobbyPreview = (view === "lobby" || view === "connecting") && !!localStream && !mediaReleased;
    const call = view === "talk" && !(state && state.meetingLink);
    const videos = lobbyPreview || call;
    show("videos", videos);
    root.classList.toggle("has-video", videos);
    root.classList.toggle("video-preview", lobbyPreview);
    show("remote-figure", call);
    const canToggle = !!localStream && !mediaReleased && view !== "finished";
    show("toggle-mic", canToggle);
    show("toggle-camera", canToggle);
    renderVideoStatus();
  }

  function renderVideoStatus() {
    if (isOrganiserView) return;
    const parts = [];
    if (mediaFailed && view !== "finished") parts.push(t("live.cameraBlocked"));
    if (callStatus) parts.push(callStatus);
    setText("video-status", parts.join(" "));  // never hidden: a live region must stay in the page to be read out
  }

  function setCallStatus(key) {
    callStatus = key ? t(key) : "";
    renderVideoStatus();
  }

  function renderPresence(rows) {
    const body = $("presence-rows");
    if (!body) return;
    body.replaceChildren(...rows.map((row) => {
      const tr = document.createElement("tr");
      for (const text of [row.name, t("role." + row.role), t(row.connected ? "live.presence.connected" : "live.presence.away"),
                          t(row.checkedIn ? "live.presence.checkedIn" : "live.presence.notCheckedIn")]) {
        const td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
      }
      return tr;
    }));
    setText("presence-count", fill(t("live.connectedCount"), rows.filter((r) => r.connected).length, rows.length));
  }

  // --- the clock: always in server time --------------------------------------------------------------------

  function pad(number) { return String(number).padStart(2, "0"); }

  function format(seconds) {
    const s = Math.max(0, seconds), hours = Math.floor(s / 3600), minutes = Math.floor((s % 3600) / 60);
    return (hours ? hours + ":" + pad(minutes) : pad(minutes)) + ":" + pad(s % 60);
  }

  function secondsUntil(time) { return Math.max(0, Math.ceil((time - serverNow()) / 1000)); }

  // The start: from the state if the server sends it (a start the organisers scheduled), else the page's.
  function startTime() {
    if (state && state.phase === "notStarted" && (state.startsAt || state.endsAt)) return state.startsAt || state.endsAt;
    return config.startsAt || null;
  }

  function tick() {
    const phase = state ? state.phase : (isOrganiserView ? null : "notStarted");
    let label = "", text = "", words = false, ending = false;
    if (phase === "notStarted") {
      const start = startTime(), left = start ? Math.ceil((start - serverNow()) / 1000) : 0;
      if (left <= 0) {
        [label, text, words] = [t("live.clock.start"), t("live.clock.soon"), true];  // due (or unknown): the organisers start
      } else if (left >= 86400) {
        [label, text, words] = [t("live.clock.start"), root.dataset.startsAtText || t("live.clock.soon"), true];
      } else {
        [label, text] = [t("live.clock.untilStart"), format(left)];
      }
    } else if ((phase === "talking" || phase === "between") && state.endsAt) {
      const left = secondsUntil(state.endsAt);
      [label, text, ending] = [t(phase === "talking" ? "live.clock.remaining" : "live.clock.untilNext"), format(left), phase === "talking" && left <= 30];
    } else if (phase === "paused") {
      // Frozen: what was left when the organisers paused.
      label = t("live.clock.paused");
      if (state.endsAt) text = format(Math.ceil((state.endsAt - state.serverTime) / 1000));
    }
    show("live-timer", !!text || !!label);
    setText("live-clock-label", label);
    setText("live-clock", text);
    $("live-clock").classList.toggle("is-words", words);
    root.classList.toggle("is-ending", ending);  // the last 30 seconds of a talk: the bar turns red
  }

  // --- after each talk: the quick rating (yes / maybe / no) and a private note ------------------------------

  function renderRating() {
    const panel = $("rating");
    if (!panel) return;
    const previous = state.previous;
    // Stays until answered or put off ("Später"): a short break alone may be too little time.
    const visible = previous && !rated.has(previous.round);
    panel.hidden = !visible;
    if (!visible || $("rating-round").value === String(previous.round)) return;
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

  // --- camera and microphone ----------------------------------------------------------------------------------

  // Lobby microphone test: a level meter fed by the local stream.
  function meter(stream) {
    if (!$("mic-level") || !stream.getAudioTracks().length || !window.AudioContext) return;
    const context = new AudioContext(), analyser = context.createAnalyser();
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    meterTimer = setInterval(() => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128) / 128);
      $("mic-level").value = peak;
    }, 200);
  }

  // Mute and camera off switch the tracks off (the partner gets silence / a black picture), not the call.
  function applyTrackStates() {
    if (localStream) {
      localStream.getAudioTracks().forEach((track) => { track.enabled = microphoneOn; });
      localStream.getVideoTracks().forEach((track) => { track.enabled = cameraOn; });
    }
    for (const [id, on, kind] of [["toggle-mic", microphoneOn, "Audio"], ["toggle-camera", cameraOn, "Video"]]) {
      const button = $(id);
      if (!button) continue;
      button.setAttribute("aria-pressed", String(!on));
      button.disabled = !localStream || localStream["get" + kind + "Tracks"]().length === 0;
    }
    root.classList.toggle("camera-off", !cameraOn);
    sessionStorage.setItem(mediaKey, JSON.stringify({ microphoneOn, cameraOn }));
  }

  if ($("toggle-mic")) $("toggle-mic").addEventListener("click", () => { microphoneOn = !microphoneOn; applyTrackStates(); });
  if ($("toggle-camera")) $("toggle-camera").addEventListener("click", () => { cameraOn = !cameraOn; applyTrackStates(); });

  function media() {
    if (mediaReleased) return Promise.resolve(null);
    if (!mediaRequest) {
      mediaRequest = Promise.resolve()
        .then(() => navigator.mediaDevices.getUserMedia({ video: true, audio: true }))
        .then((stream) => {
          if (mediaReleased) { stream.getTracks().forEach((track) => track.stop()); return null; }
          localStream = stream;
          $("local-video").srcObject = stream;
          meter(stream);
          applyTrackStates();
          renderVideos();
          return stream;
        }, () => {
          mediaFailed = true;
          renderVideos();
          return null;
        });
    }
    return mediaRequest;
  }

  // The camera and microphone are switched off for good (the camera light goes out).
  function releaseMedia() {
    if (mediaReleased) return;
    mediaReleased = true;
    if (meterTimer) clearInterval(meterTimer);
    if (localStream) localStream.getTracks().forEach((track) => track.stop());
    if ($("local-video")) $("local-video").srcObject = null;
    renderVideos();
  }

  // --- the 1:1 call -----------------------------------------------------------------------------------------

  function closeCall() {
    if (peer) peer.close();
    peer = null; peerRound = null; peerKey = null; pendingCandidates = [];
    if ($("remote-video")) $("remote-video").srcObject = null;
    setCallStatus("");
  }

  async function updateCall() {
    if (isOrganiserView || !state) return;
    const key = state.partner ? state.round + ":" + state.partner.id : null;
    const talking = state.phase === "talking" && key && !state.meetingLink;
    if (!talking) {
      // Paused by the organisers during a talk: the call goes on. Anything else ends it.
      if (!(state.phase === "paused" && peer && peerKey === key)) closeCall();
      return;
    }
    if (peer && peerKey === key) return;
    closeCall();
    const round = state.round, caller = state.caller;
    const current = peer = new RTCPeerConnection({ iceServers: config.iceServers.map((url) => ({ urls: url })) });
    peerRound = round; peerKey = key;
    setCallStatus("live.videoConnecting");
    current.onicecandidate = (event) => { if (event.candidate) send({ type: "signal", data: { candidate: event.candidate.toJSON(), round } }); };
    current.ontrack = (event) => { if (current === peer) $("remote-video").srcObject = event.streams[0]; };
    current.onconnectionstatechange = () => {
      if (current !== peer) return;
      const connection = current.connectionState;
      if (connection === "connected") setCallStatus("live.videoConnected");
      else if (connection === "disconnected" || connection === "failed") setCallStatus("live.videoLost");
    };
    const stream = await media();
    if (current !== peer) return;  // the talk ended while the camera was starting
    if (stream) stream.getTracks().forEach((track) => current.addTrack(track, stream));
    if (caller) {
      if (!stream) {  // no camera here: still receive the partner's picture and sound
        current.addTransceiver("audio", { direction: "recvonly" });
        current.addTransceiver("video", { direction: "recvonly" });
      }
      const offer = await current.createOffer();
      if (current !== peer) return;
      await current.setLocalDescription(offer);
      send({ type: "signal", data: { description: current.localDescription.toJSON(), round } });
    } else {
      send({ type: "signal", data: { ready: true, round } });  // the caller may have offered before we joined
    }
  }

  async function onSignal(message) {
    const data = message.data || {};
    const current = peer;
    if (!current || data.round !== peerRound) return;
    try {
      if (data.ready && state.caller && current.localDescription) {
        send({ type: "signal", data: { description: current.localDescription.toJSON(), round: peerRound } });
      } else if (data.description) {
        if (data.description.type === "offer") {
          if (current.signalingState !== "stable") return;
          await current.setRemoteDescription(data.description);
          const answer = await current.createAnswer();
          await current.setLocalDescription(answer);
          if (current !== peer) return;
          send({ type: "signal", data: { description: current.localDescription.toJSON(), round: peerRound } });
        } else if (current.signalingState === "have-local-offer") {
          await current.setRemoteDescription(data.description);
        }
        for (const candidate of pendingCandidates) await current.addIceCandidate(candidate);
        pendingCandidates = [];
      } else if (data.candidate) {
        if (current.remoteDescription) await current.addIceCandidate(data.candidate); else pendingCandidates.push(data.candidate);
      }
    } catch (error) {
      // A call closed while a step was under way: nothing to do, the next state starts the next call.
      if (current === peer) throw error;
    }
  }

  setInterval(tick, 250);
  tick();
  if (!isOrganiserView) { applyTrackStates(); media(); }  // the lobby's camera and microphone test
  connect();
})();
