public enum FeatureSharedMemReallocMarker {}
