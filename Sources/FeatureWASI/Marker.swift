public enum FeatureWASIMarker {}
