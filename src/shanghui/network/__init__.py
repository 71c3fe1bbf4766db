"""供需对接: offers and needs between members, across associations."""
