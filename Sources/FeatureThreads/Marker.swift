public enum FeatureThreadsMarker {}
