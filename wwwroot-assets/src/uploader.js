// Browser uploads of artifact versions: drag-and-drop of files and folders, chunked PUTs to the staged-upload API
// (docs/artifacts-api.md), progress reported to a .NET component. Bytes never go through the Blazor circuit.

const MiB = 1024 * 1024;

const defaults = {
  chunkSize: 8 * MiB,
  parallelFiles: 3,
  progressIntervalMs: 250,
  // Moving average of the speed over this window.
  speedWindowMs: 5000,
  // Automatic attempts per chunk on network errors and 5xx/408/429 before the file is marked failed.
  chunkAttempts: 3,
  // Keeps each message to .NET well under SignalR's 32 KB receive limit.
  messageBudgetChars: 12000,
  maxDisplayPathChars: 300,
  apiBase: "api/v1",
};

export const Status = Object.freeze({ queued: "queued", uploading: "uploading", done: "done", failed: "failed" });

export const Phase = Object.freeze({
  idle: "idle",
  selected: "selected",
  uploading: "uploading",
  committing: "committing",
  committed: "committed",
  failed: "failed",
  cancelled: "cancelled",
});

/**
 * Binds the drop zone and pickers inside `root` and returns the handle .NET calls: start, cancel, retryFailed, clear,
 * dispose. Elements: [data-upload-drop] (drop target), input[data-upload-files], input[data-upload-folder].
 * .NET receives OnFilesSelected(files, reset, complete) in batches, OnUploadProgress(progress) about 4 times a second
 * with the files that changed since the last one, and OnUploadCommitted(versionNumber).
 */
export function createUploader(root, dotNet, options) {
  return new Uploader(root, dotNet, { ...defaults, ...(options ?? {}) });
}

class UploadError extends Error {
  constructor(message, { status = 0, retryable = false } = {}) {
    super(message);
    this.status = status;
    this.retryable = retryable;
  }
}

class Uploader {
  constructor(root, dotNet, options) {
    this.root = root;
    this.dotNet = dotNet;
    this.options = options;
    this.files = [];
    this.phase = Phase.idle;
    this.uploadId = null;
    this.target = null;
    this.abort = null;
    this.message = null;
    this.version = null;
    this.samples = [];
    this.dirty = new Set();
    this.sending = false;
    this.timer = null;
    this.listeners = [];
    this.bind();
  }

  // ---- Selection ----

  bind() {
    const zone = this.root.querySelector("[data-upload-drop]") ?? this.root;
    const on = (element, type, handler) => {
      if (!element) return;
      element.addEventListener(type, handler);
      this.listeners.push(() => element.removeEventListener(type, handler));
    };
    on(zone, "dragenter", (e) => this.dragOver(e, zone));
    on(zone, "dragover", (e) => this.dragOver(e, zone));
    on(zone, "dragleave", (e) => {
      if (!zone.contains(e.relatedTarget)) zone.classList.remove("drag-over");
    });
    on(zone, "drop", (e) => this.drop(e, zone));
    // A file dropped next to the zone would otherwise replace the page with the file.
    const guard = (e) => {
      if (e.dataTransfer?.types.includes("Files") && !zone.contains(e.target)) e.preventDefault();
    };
    on(window, "dragover", guard);
    on(window, "drop", guard);
    for (const input of this.root.querySelectorAll("input[data-upload-files], input[data-upload-folder]")) {
      on(input, "change", () => {
        const picked = [...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
        input.value = "";
        this.add(picked);
      });
    }
    // Tells the end-to-end tests (and anyone scripting the page) that drops and picks are handled from now on.
    this.root.dataset.ready = "true";
  }

  get busy() {
    return this.phase === Phase.uploading || this.phase === Phase.committing;
  }

  dragOver(event, zone) {
    if (!event.dataTransfer || !event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = this.busy ? "none" : "copy";
    if (!this.busy) zone.classList.add("drag-over");
  }

  async drop(event, zone) {
    event.preventDefault();
    zone.classList.remove("drag-over");
    if (this.busy || !event.dataTransfer) return;
    // Entries must be taken during the event: the DataTransfer is emptied once the handler returns.
    const entries = [];
    const loose = [];
    for (const item of event.dataTransfer.items ?? []) {
      if (item.kind !== "file") continue;
      const entry = item.webkitGetAsEntry?.();
      if (entry) entries.push(entry);
      else if (item.getAsFile()) loose.push(item.getAsFile());
    }
    if (entries.length === 0 && loose.length === 0) {
      loose.push(...(event.dataTransfer.files ?? []));
    }
    const picked = loose.map((file) => ({ file, path: file.name }));
    try {
      for (const entry of entries) picked.push(...(await readEntry(entry, "")));
    } catch (error) {
      this.fail(`Could not read the dropped folder: ${error?.message ?? error}`);
      return;
    }
    this.add(picked);
  }

  add(picked) {
    if (this.busy || picked.length === 0) return;
    const reset = this.phase !== Phase.idle && this.phase !== Phase.selected;
    if (reset) this.resetState();
    const known = new Set(this.files.map((f) => f.path.toLowerCase()));
    const added = [];
    // Pickers and folders list files in no useful order; sorted paths read like a file tree.
    picked.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const { file, path } of picked) {
      // A path picked twice (the same folder dropped again) replaces nothing and is not sent twice.
      if (known.has(path.toLowerCase())) continue;
      known.add(path.toLowerCase());
      const entry = { index: this.files.length, path, file, size: file.size, received: 0, status: Status.queued, error: null };
      this.files.push(entry);
      added.push(entry);
    }
    this.phase = Phase.selected;
    this.sendSelection(added, reset);
  }

  clear() {
    if (this.busy) return;
    this.resetState();
    this.phase = Phase.idle;
    this.sendSelection([], true);
  }

  resetState() {
    // A failed or cancelled upload that is replaced frees its staged bytes now rather than at expiry.
    if (this.uploadId) this.deleteUpload(this.uploadId);
    this.files = [];
    this.uploadId = null;
    this.message = null;
    this.version = null;
    this.samples = [];
    this.dirty.clear();
  }

  async sendSelection(added, reset) {
    const batches = batch(added.map((f) => this.describe(f)), this.options.messageBudgetChars, (d) => d.path.length + 80);
    if (batches.length === 0) batches.push([]);
    for (let i = 0; i < batches.length; i++) {
      await this.invoke("OnFilesSelected", batches[i], reset && i === 0, i === batches.length - 1);
    }
    await this.flush(true);
  }

  describe(f) {
    const max = this.options.maxDisplayPathChars;
    const path = f.path.length <= max ? f.path : `${f.path.slice(0, max / 2 - 1)}…${f.path.slice(-(max / 2))}`;
    return { index: f.index, path, size: f.size };
  }

  // ---- Upload ----

  /** Begins the staged upload of the selected files to projects/{slug}/artifacts/{name} and commits when all are in. */
  start(projectSlug, artifactName, metadata) {
    if (this.busy || this.files.length === 0) return false;
    this.target = { projectSlug, artifactName, metadata: metadata ?? null };
    this.run(() => this.begin());
    return true;
  }

  /** Re-sends only the files that failed, from the first chunk the server is missing; then commits. */
  retryFailed() {
    if (this.busy || this.phase !== Phase.failed) return false;
    this.run(async () => {
      if (!this.uploadId) {
        await this.begin();
        return;
      }
      const upload = await this.request("GET", `uploads/${encodeURIComponent(this.uploadId)}`);
      for (const server of upload.files ?? []) {
        const f = this.files[server.index];
        if (!f) continue;
        if (server.complete) {
          this.setFile(f, { received: f.size, status: Status.done, error: null });
        } else if (f.status === Status.failed) {
          const resumeAt = Math.floor((server.received ?? 0) / this.options.chunkSize) * this.options.chunkSize;
          this.setFile(f, { received: resumeAt, status: Status.queued, error: null });
        }
      }
    });
    return true;
  }

  /** Stops every request and asks the server to drop what it has staged. */
  async cancel() {
    if (!this.busy && this.phase !== Phase.failed) return;
    this.abort?.abort();
    const id = this.uploadId;
    this.uploadId = null;
    this.phase = Phase.cancelled;
    this.message = "Upload cancelled.";
    for (const f of this.files) {
      if (f.status === Status.uploading || f.status === Status.queued) this.setFile(f, { status: Status.queued });
    }
    await this.flush(true);
    if (id) await this.deleteUpload(id);
  }

  async deleteUpload(id) {
    try {
      await fetch(this.url(`uploads/${encodeURIComponent(id)}`), { method: "DELETE", credentials: "same-origin" });
    } catch {
      // The server removes abandoned uploads itself after a grace period.
    }
  }

  async run(work) {
    const abort = new AbortController();
    this.abort = abort;
    this.phase = Phase.uploading;
    this.message = null;
    this.samples = [];
    this.startTimer();
    try {
      await work();
      await this.pump(abort.signal);
      if (abort.signal.aborted) return;
      const failed = this.files.filter((f) => f.status === Status.failed).length;
      if (failed > 0) {
        this.fail(failed === 1 ? "1 file failed to upload." : `${failed} files failed to upload.`);
        return;
      }
      this.phase = Phase.committing;
      await this.flush(true);
      const version = await this.request("POST", `uploads/${encodeURIComponent(this.uploadId)}/commit`, undefined, abort.signal);
      this.version = version.number;
      this.phase = Phase.committed;
      this.uploadId = null;
      await this.flush(true);
      await this.invoke("OnUploadCommitted", version.number);
    } catch (error) {
      if (abort.signal.aborted) return;
      this.fail(error?.message ?? String(error));
    } finally {
      if (this.abort === abort) this.abort = null;
      this.stopTimer();
    }
  }

  async begin() {
    const { projectSlug, artifactName, metadata } = this.target;
    for (const f of this.files) this.setFile(f, { received: 0, status: Status.queued, error: null });
    const body = { files: this.files.map((f) => ({ path: f.path, size: f.size })) };
    if (metadata && Object.keys(metadata).length > 0) body.metadata = metadata;
    const upload = await this.request(
      "POST",
      `projects/${encodeURIComponent(projectSlug)}/artifacts/${encodeURIComponent(artifactName)}/uploads`,
      body,
      this.abort?.signal,
    );
    this.uploadId = upload.id;
    for (const server of upload.files ?? []) {
      const f = this.files[server.index];
      if (f && server.complete) this.setFile(f, { received: f.size, status: Status.done });
    }
  }

  async pump(signal) {
    const next = () => this.files.find((f) => f.status === Status.queued && !f.claimed);
    const worker = async () => {
      for (let f = next(); f && !signal.aborted; f = next()) {
        f.claimed = true;
        try {
          await this.sendFile(f, signal);
          this.setFile(f, { received: f.size, status: Status.done, error: null });
        } catch (error) {
          if (signal.aborted) return;
          this.setFile(f, { status: Status.failed, error: error?.message ?? String(error) });
        } finally {
          f.claimed = false;
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.parallelFiles }, worker));
  }

  async sendFile(f, signal) {
    this.setFile(f, { status: Status.uploading, error: null });
    const path = `uploads/${encodeURIComponent(this.uploadId)}/files/${f.index}`;
    if (f.size === 0) {
      await this.put(path, f, new Blob([]), null, signal);
      return;
    }
    const chunk = this.options.chunkSize;
    for (let start = f.received; start < f.size; start += chunk) {
      const end = Math.min(start + chunk, f.size);
      // File.slice reads from disk as the request streams: a multi-GB file never sits in memory.
      await this.put(path, f, f.file.slice(start, end), `bytes ${start}-${end - 1}/${f.size}`, signal);
      this.setFile(f, { received: end });
    }
  }

  async put(path, f, blob, contentRange, signal) {
    const base = f.received;
    for (let attempt = 1; ; attempt++) {
      try {
        return await xhrPut(this.url(path), blob, contentRange, signal, (loaded) => {
          this.setFile(f, { received: base + loaded });
        });
      } catch (error) {
        this.setFile(f, { received: base });
        if (signal.aborted || !error.retryable || attempt >= this.options.chunkAttempts) throw error;
        await delay(500 * attempt, signal);
      }
    }
  }

  async request(method, path, body, signal) {
    let response;
    try {
      response = await fetch(this.url(path), {
        method,
        credentials: "same-origin",
        headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new UploadError("The portal could not be reached. Check the connection and retry.", { retryable: true });
    }
    const text = await response.text();
    const json = text ? safeJson(text) : null;
    if (!response.ok) throw problemError(response.status, json);
    return json;
  }

  url(path) {
    return new URL(`${this.options.apiBase}/${path}`, document.baseURI).toString();
  }

  fail(message) {
    this.phase = Phase.failed;
    this.message = message;
    this.flush(true);
  }

  // ---- Progress ----

  setFile(f, changes) {
    Object.assign(f, changes);
    this.dirty.add(f.index);
  }

  startTimer() {
    this.stopTimer();
    this.timer = setInterval(() => this.flush(false), this.options.progressIntervalMs);
  }

  stopTimer() {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  snapshot() {
    let received = 0;
    let total = 0;
    for (const f of this.files) {
      received += f.received;
      total += f.size;
    }
    const now = performance.now();
    this.samples.push({ at: now, received });
    while (this.samples.length > 2 && now - this.samples[0].at > this.options.speedWindowMs) this.samples.shift();
    const first = this.samples[0];
    const elapsed = (now - first.at) / 1000;
    const speed = this.phase === Phase.uploading && elapsed >= 0.5 ? Math.max(0, (received - first.received) / elapsed) : 0;
    const secondsLeft = speed > 0 ? (total - received) / speed : null;
    return { phase: this.phase, receivedBytes: received, totalBytes: total, bytesPerSecond: speed, secondsLeft, message: this.message, version: this.version };
  }

  /** Sends the totals and the files that changed since the last update; a timer tick is skipped while one is in flight. */
  async flush(force) {
    if (this.sending) {
      this.pendingForce ||= force;
      return;
    }
    this.sending = true;
    try {
      do {
        this.pendingForce = false;
        const progress = this.snapshot();
        const changed = [];
        let budget = this.options.messageBudgetChars;
        for (const index of this.dirty) {
          const f = this.files[index];
          const error = f.error ? f.error.slice(0, 500) : null;
          budget -= 60 + (error?.length ?? 0);
          if (budget < 0) break;
          changed.push({ index, received: f.received, status: f.status, error });
          this.dirty.delete(index);
        }
        progress.files = changed;
        await this.invoke("OnUploadProgress", progress);
        if (this.dirty.size > 0 && force) this.pendingForce = true;
      } while (this.pendingForce);
    } finally {
      this.sending = false;
    }
  }

  async invoke(method, ...args) {
    try {
      await this.dotNet.invokeMethodAsync(method, ...args);
    } catch {
      // The component was disposed (page left): stop reporting but let the upload finish or be aborted by dispose.
    }
  }

  dispose() {
    this.stopTimer();
    this.listeners.forEach((remove) => remove());
    this.listeners = [];
    delete this.root.dataset.ready;
    if (this.busy) this.cancel();
    this.dotNet = { invokeMethodAsync: () => Promise.resolve() };
  }
}

/** Reads a FileSystemEntry into { file, path } pairs; directories recursively. */
export async function readEntry(entry, prefix) {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [{ file, path }];
  }
  if (!entry.isDirectory) return [];
  const reader = entry.createReader();
  const children = [];
  // readEntries answers in batches (100 in Chromium) and signals the end with an empty one.
  for (;;) {
    const batchOfEntries = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batchOfEntries.length === 0) break;
    children.push(...batchOfEntries);
  }
  const result = [];
  for (const child of children) result.push(...(await readEntry(child, path)));
  return result;
}

function xhrPut(url, blob, contentRange, signal, onProgress) {
  return new Promise((resolve, reject) => {
    // XMLHttpRequest rather than fetch: it reports upload progress within a chunk.
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("Accept", "application/json");
    if (contentRange) xhr.setRequestHeader("Content-Range", contentRange);
    const onAbort = () => xhr.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      signal.removeEventListener("abort", onAbort);
      const json = xhr.responseText ? safeJson(xhr.responseText) : null;
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(problemError(xhr.status, json));
    };
    xhr.onerror = () => {
      signal.removeEventListener("abort", onAbort);
      reject(new UploadError("The connection was lost while sending this file.", { retryable: true }));
    };
    xhr.onabort = () => {
      signal.removeEventListener("abort", onAbort);
      reject(new UploadError("Cancelled."));
    };
    xhr.send(blob);
  });
}

function problemError(status, json) {
  const detail = json && typeof json === "object" ? json.detail || json.title : null;
  const message = detail || `The portal answered ${status}.`;
  return new UploadError(message, { status, retryable: status >= 500 || status === 408 || status === 429 });
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function delay(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Splits items into batches whose summed weight stays under the budget (at least one item per batch). */
export function batch(items, budget, weight) {
  const batches = [];
  let current = [];
  let used = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length > 0 && used + w > budget) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += w;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

