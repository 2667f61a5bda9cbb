// The test plugins record calls in static lists, so the emulator tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
