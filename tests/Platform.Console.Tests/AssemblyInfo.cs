// One browser-driven class at a time: each starts a host, syncs stores and drives Chromium, and several at once on a
// two-core machine only make every page slow (and the suite no faster).
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
