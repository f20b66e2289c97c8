// The project feed fetched, parsed and decoded off the page's thread: for 100,000 projects that is
// a second of work the map would otherwise spend frozen. The page gets the decoded projects.

import {decodeFeed} from "./data.js";

self.onmessage = async (e) => {
  try {
    const r = await fetch(e.data.url);
    if (!r.ok) throw new Error(`${e.data.url}: ${r.status}`);
    self.postMessage({projects: decodeFeed(await r.json())});
  } catch (err) {
    self.postMessage({error: err.message});
  }
};
