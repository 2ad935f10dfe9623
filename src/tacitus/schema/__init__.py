"""tacitus.schema"""
