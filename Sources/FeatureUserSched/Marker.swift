public enum FeatureUserSchedMarker {}
